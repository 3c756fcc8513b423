import { html, nothing } from 'lit';
import { t } from './admin-i18n.js';
import { nullableObject, type SchemaNode } from './settings-model.js';

/** The settings form's compound widgets: each draws its value and hands the whole new value to `edit`/`set`. */

export type Hours = { from: string; to: string };
export type Limit = Hours & { maxVolume: number };

/** Daily hours, or none: a switch and two time pickers. */
export function hoursWidget(node: SchemaNode, value: Hours | null, described: string, edit: (value: Hours | null) => void) {
  const isSet = value !== null && typeof value === 'object';
  const hours = isSet ? value : { from: '22:00', to: '07:00' };
  const set = (next: Partial<Hours>) => edit({ ...hours, ...next });
  // Hours of silence (quiet hours) or hours something runs (the camera's).
  const isQuiet = nullableObject(node)?.properties?.['from']?.description?.includes('silence') === true;
  return html`<span class="inline">
    <label
      ><input type="checkbox" .checked=${isSet} @change=${(e: Event) => edit((e.target as HTMLInputElement).checked ? hours : null)} />
      ${isQuiet ? t('admin.settings.hours.quietDaily') : t('admin.settings.hours.onDaily')}</label
    >
    ${
      isSet
        ? html`<label
              >${t('admin.settings.hours.from')}
              <input
                type="time"
                .value=${hours.from}
                aria-describedby=${described}
                @input=${(e: Event) => set({ from: (e.target as HTMLInputElement).value })} /></label
            ><label
              >${t('admin.settings.hours.to')}
              <input
                type="time"
                .value=${hours.to}
                aria-describedby=${described}
                @input=${(e: Event) => set({ to: (e.target as HTMLInputElement).value })}
            /></label>`
        : html`<span class="muted">${isQuiet ? t('admin.settings.hours.noQuiet') : t('admin.settings.hours.always')}</span>`
    }
  </span>`;
}

/** A list of folders, each a text field with Remove, and Add a folder. */
export function foldersWidget(folders: string[], described: string, set: (folders: string[]) => void, demoFolder?: string) {
  const hasOwn = folders.some((folder) => folder.trim() !== '' && folder !== demoFolder);
  return html`${folders.map(
      (folder, i) =>
        html`<span class="inline">
            <input
              class="wide"
              aria-label=${t('admin.settings.folders.folderLabel', { n: i + 1 })}
              .value=${folder}
              aria-describedby=${described}
              @input=${(e: Event) => set(folders.map((f, j) => (j === i ? (e.target as HTMLInputElement).value : f)))}
            />
            <button
              type="button"
              class="secondary"
              aria-label=${t('admin.settings.folders.removeLabel', { n: i + 1 })}
              @click=${() => set(folders.filter((_, j) => j !== i))}
            >
              ${t('admin.settings.folders.remove')}
            </button>
          </span>
          ${
            folder === demoFolder
              ? html`<small class="muted demo-folder"
                  >${hasOwn ? t('admin.settings.folders.demoOut') : t('admin.settings.folders.demoLeaves')}</small
                >`
              : nothing
          }`,
    )} <button type="button" class="secondary" @click=${() => set([...folders, ''])}>${t('admin.settings.folders.add')}</button>`;
}

/** Volume limits by time of day: a row per limit (from, to, at most) with Remove, and Add a limit. */
export function scheduleWidget(limits: Limit[], described: string, set: (limits: Limit[]) => void) {
  const change = (i: number, part: Partial<Limit>) => set(limits.map((l, j) => (j === i ? { ...l, ...part } : l)));
  return html`${limits.map(
      (limit, i) =>
        html`<span class="inline" data-row=${i}>
          <label
            >${t('admin.settings.schedule.from')}
            <input
              type="time"
              .value=${limit.from}
              aria-describedby=${described}
              @input=${(e: Event) => change(i, { from: (e.target as HTMLInputElement).value })}
          /></label>
          <label
            >${t('admin.settings.schedule.to')}
            <input type="time" .value=${limit.to} @input=${(e: Event) => change(i, { to: (e.target as HTMLInputElement).value })}
          /></label>
          <label
            >${t('admin.settings.schedule.atMost')}
            <input
              type="number"
              min="0"
              max="100"
              style="width: 5em"
              .value=${String(limit.maxVolume)}
              @input=${(e: Event) => change(i, { maxVolume: (e.target as HTMLInputElement).valueAsNumber })}
          /></label>
          <button
            type="button"
            class="secondary"
            aria-label=${t('admin.settings.schedule.removeLabel', { n: i + 1 })}
            @click=${() => set(limits.filter((_, j) => j !== i))}
          >
            ${t('admin.settings.schedule.remove')}
          </button>
        </span>`,
    )}
    <button type="button" class="secondary" @click=${() => set([...limits, { from: '18:00', to: '08:00', maxVolume: 40 }])}>
      ${t('admin.settings.schedule.add')}
    </button>`;
}
