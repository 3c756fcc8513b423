import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { LibraryState } from '../data/admin-api.js';
import { formatTime } from './admin-styles.js';

/*
 * The library page's Music folders card, drawn from the live state: the button that scans the
 * folders, the scan's progress, the analysis's (live while it runs, then what it did), and what the
 * last scan found, with the files and folders it could not read.
 */

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
    <h3 id="scan-h">Music folders</h3>
    <div class="row">
      <button @click=${onScan} ?disabled=${isScanning || isStarting || !isLive}>${isScanning ? 'Scanning…' : 'Scan music folders'}</button>
      <span class="muted">${library === null ? '' : `${library.tracks} track${library.tracks === 1 ? '' : 's'} in the library`}</span>
    </div>
    ${error ? html`<p class="error" role="alert">${error}</p>` : nothing} ${isScanning ? renderProgress(library) : nothing}
    ${library === null ? nothing : renderAnalysis(library)}
    ${
      !isScanning && last !== null
        ? html`<div class="result" role="status" aria-live="polite">
            <p>
              <strong>Last scan</strong> ${formatTime(last.at)}: ${last.files} file${last.files === 1 ? '' : 's'} ·
              <span data-count="added">${last.added} added</span> · <span data-count="updated">${last.updated} updated</span> ·
              <span data-count="missing">${last.missing} missing</span>
            </p>
            ${
              last.failedCount > 0
                ? html`<p class="error">
                      ${last.failedCount} file${last.failedCount === 1 ? '' : 's'} could not be read and
                      ${last.failedCount === 1 ? 'was' : 'were'}
                      skipped${last.failedCount > last.failed.length ? html` (the first ${last.failed.length} are listed; the log has all)` : nothing}:
                    </p>
                    <ul class="failed">
                      ${last.failed.map((f) => html`<li><code>${f.path}</code>: ${f.error}</li>`)}
                    </ul>`
                : nothing
            }
            ${
              last.problems.length > 0
                ? html`<p class="error">Folders that could not be scanned:</p>
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
    ? `Listening to the music: ${done} of ${total} tracks${failed > 0 ? `, ${failed} could not be analysed` : ''}`
    : `Music analysed: ${done - failed} of ${total} tracks${failed > 0 ? `; ${failed} could not be (the log says why)` : ''}`;
  return html`<div class="analysis" data-analysing=${running}>
    ${
      running
        ? html`<progress aria-label="Analysing the music" aria-valuetext=${text} max=${Math.max(total, 1)} value=${done}></progress>`
        : nothing
    }
    <p class="muted" role="status" aria-live="polite">${text}</p>
  </div>`;
}

function renderProgress(library: LibraryState) {
  const { done, total } = library;
  const text = total === 0 ? 'Looking for music files…' : `${done} of ${total} files`;
  // No value while the folders are listed: an indeterminate bar.
  return html`<div class="progress">
    <progress
      aria-label="Scanning music folders"
      aria-valuetext=${text}
      max=${Math.max(total, 1)}
      value=${ifDefined(total === 0 ? undefined : done)}
    ></progress>
    <p class="muted" role="status" aria-live="polite">${text}</p>
  </div>`;
}
