import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { AdminTrack, LibraryState } from '../data/admin-api.js';
import { i18n, moodName, t } from './admin-i18n.js';
import { formatTime } from './admin-styles.js';

/*
 * The library page's Music folders card, drawn from the live state: the button that scans the
 * folders, the scan's progress, the analysis's (live while it runs, then what it did), and what the
 * last scan found, with the files and folders it could not read. Also the words of the page's
 * tracks: their mood tags, where their moods came from, and what the analysis heard in them.
 */

/** A mood tag as the pages name it: a known mood in the reader's language (lower-case, as tags are), else as the owner wrote it. */
export function tagName(mood: string): string {
  const named = moodName(mood);
  return named === mood ? mood : named.toLocaleLowerCase(i18n.locale);
}

const ORIGINS = ['admin', 'sidecar', 'rule', 'audio'] as const;
const isOrigin = (origin: string): origin is (typeof ORIGINS)[number] => (ORIGINS as readonly string[]).includes(origin);
/** Where a tag's weight came from (`origin`), or why a track has its moods, by the origin of its strongest one (`why`). */
export function originWords(kind: 'origin' | 'why', origin: string): string {
  return isOrigin(origin) ? t(`admin.library.${kind}.${origin}`) : origin;
}

/**
 * The energy/valence mark (where the analysis placed the track: right is pleasant, up is
 * energetic) and why the track has its moods.
 */
export function renderHeard(track: AdminTrack) {
  const origin = track.moods[0]?.origin;
  const why = origin === undefined ? t('admin.library.why.none') : originWords('why', origin);
  const audio = track.audio;
  if (audio === null || 'error' in audio) {
    return html`<div class="heard" data-why=${origin ?? 'none'}>
      <span>${t('admin.library.whyLine', { why })}</span>${
        audio === null
          ? nothing
          : html`<span class="muted" data-not-heard=${audio.error}>${t('admin.library.notAnalysed', { error: audio.error })}</span>`
      }
    </div>`;
  }
  const energy = Math.round(((audio.arousal + 1) / 2) * 100);
  const pleasant = Math.round(((audio.valence + 1) / 2) * 100);
  const label =
    audio.tempoBpm === null
      ? t('admin.library.heardLabel', { energy: energy / 100, pleasant: pleasant / 100 })
      : t('admin.library.heardTempoLabel', { energy: energy / 100, pleasant: pleasant / 100, bpm: Math.round(audio.tempoBpm) });
  return html`<div class="heard" data-why=${origin ?? 'none'}>
    <svg class="mark" role="img" aria-label=${label} viewBox="-1.1 -1.1 2.2 2.2" width="28" height="28">
      <title>${label}</title>
      <line x1="-1" y1="0" x2="1" y2="0" stroke="#d1d5db" stroke-width="0.05"></line>
      <line x1="0" y1="-1" x2="0" y2="1" stroke="#d1d5db" stroke-width="0.05"></line>
      <circle
        data-valence=${audio.valence}
        data-arousal=${audio.arousal}
        cx=${audio.valence}
        cy=${-audio.arousal}
        r="0.22"
        fill="#1d4ed8"
      ></circle>
    </svg>
    <span>${t('admin.library.whyLine', { why })}</span>
  </div>`;
}

/** What the card shows, and what its button does. */
export interface ScanCard {
  /** The library area of the live state; null before the first snapshot. */
  library: LibraryState | null;
  /** A scan was asked for and the daemon has not answered yet. */
  isStarting: boolean;
  /** Whether the page has the live link that shows a scan's progress. */
  isLive: boolean;
  /** Why the scan did not start, or ''. */
  error: string;
  onScan: () => Promise<void>;
}

/** The Music folders card: the scan button, its progress while it runs, then what the last scan found. */
export function renderScan({ library, isStarting, isLive, error, onScan }: ScanCard) {
  const isScanning = library?.scanning === true;
  const last = library?.lastScan ?? null;
  return html`<section class="card scan" aria-labelledby="scan-h" data-scanning=${isScanning}>
    <h3 id="scan-h">${t('admin.scan.title')}</h3>
    <div class="row">
      <button @click=${onScan} ?disabled=${isScanning || isStarting || !isLive}>
        ${isScanning ? t('admin.scan.scanning') : t('admin.scan.scan')}
      </button>
      <span class="muted">${library === null ? '' : t('admin.scan.tracks', { count: library.tracks })}</span>
    </div>
    ${error ? html`<p class="error" role="alert">${error}</p>` : nothing} ${isScanning ? renderProgress(library) : nothing}
    ${library === null ? nothing : renderAnalysis(library)}
    ${
      !isScanning && last !== null
        ? html`<div class="result" role="status" aria-live="polite">
            <p>
              <strong>${t('admin.scan.lastScan')}</strong> ${t('admin.scan.lastScanFiles', { at: formatTime(last.at), count: last.files })}
              · <span data-count="added">${t('admin.scan.added', { count: last.added })}</span> ·
              <span data-count="updated">${t('admin.scan.updated', { count: last.updated })}</span> ·
              <span data-count="missing">${t('admin.scan.missing', { count: last.missing })}</span>
            </p>
            ${
              last.failedCount > 0
                ? html`<p class="error">
                      ${
                        last.failedCount > last.failed.length
                          ? t('admin.scan.failedSome', { count: last.failedCount, shown: last.failed.length })
                          : t('admin.scan.failed', { count: last.failedCount })
                      }
                    </p>
                    <ul class="failed">
                      ${last.failed.map((f) => html`<li><code>${f.path}</code>: ${f.error}</li>`)}
                    </ul>`
                : nothing
            }
            ${
              last.problems.length > 0
                ? html`<p class="error">${t('admin.scan.problems')}</p>
                    <ul class="problems">
                      ${last.problems.map((p) => html`<li>${p}</li>`)}
                    </ul>`
                : nothing
            }
          </div>`
        : nothing
    }
  </section>`;
}

/** The analysis of the music after a scan: live while it runs, then what the last run did. */
function renderAnalysis(library: LibraryState) {
  const { running, done, total, failed } = library.analysis;
  if (!running && total === 0) return nothing;
  const text = running
    ? failed > 0
      ? t('admin.scan.analysingFailed', { done, total, failed })
      : t('admin.scan.analysing', { done, total })
    : failed > 0
      ? t('admin.scan.analysedFailed', { done: done - failed, total, failed })
      : t('admin.scan.analysed', { done: done - failed, total });
  return html`<div class="analysis" data-analysing=${running}>
    ${
      running
        ? html`<progress
            aria-label=${t('admin.scan.analysingLabel')}
            aria-valuetext=${text}
            max=${Math.max(total, 1)}
            value=${done}
          ></progress>`
        : nothing
    }
    <p class="muted" role="status" aria-live="polite">${text}</p>
  </div>`;
}

function renderProgress(library: LibraryState) {
  const { done, total } = library;
  const text = total === 0 ? t('admin.scan.looking') : t('admin.scan.filesProgress', { done, total });
  // No value while the folders are listed: an indeterminate bar.
  return html`<div class="progress">
    <progress
      aria-label=${t('admin.scan.scanningLabel')}
      aria-valuetext=${text}
      max=${Math.max(total, 1)}
      value=${ifDefined(total === 0 ? undefined : done)}
    ></progress>
    <p class="muted" role="status" aria-live="polite">${text}</p>
  </div>`;
}
