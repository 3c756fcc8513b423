import type { TemplateResult } from 'lit';
import type { AdminApi } from '../data/admin-api.js';
import { SPOTIFY_PAGE } from './spotify/mb-admin-spotify.js';

/** A music source's own page of the panel, which lives in the source's folder (`admin/<source>/`). */
export interface SourcePage {
  /** Its source's name (the registry's `kind`, a `music.source` setting): also its address (`#spotify`). */
  readonly view: string;
  /** Its name in the menu, in the reader's language. */
  title(): string;
  /** The page, given the panel's API. */
  render(api: AdminApi): TemplateResult;
}

/**
 * The pages of the music sources that have one, in the menu's order (after Backups): a source with
 * a page of its own adds it here. The menu shows a page where the daemon says this box may choose
 * its source (the configuration's schema marks a setting of a source registered for homes only).
 */
export const SOURCE_PAGES: readonly SourcePage[] = [SPOTIFY_PAGE];
