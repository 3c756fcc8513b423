import { html, nothing } from 'lit';
import type { DayPlan } from '../../daemon/http/contract.js';
import { capitalize } from '../components/words.js';
import type { AdminApi } from '../data/admin-api.js';
import type { MbEvent } from '../events.js';
import { t } from './admin-i18n.js';
import {
  amountWords,
  choicesOf,
  highestOf,
  lookOf,
  lowestOf,
  unitWords,
  widgetOf,
  type SchemaNode,
  type SettingLook,
  type Widget,
} from './settings-model.js';
import { foldersWidget, hoursWidget, scheduleWidget, type Hours, type Limit } from './settings-widgets.js';
import { helpParts, plainHelp } from './settings-words.js';
import { knownHelp } from './setting-looks.js';
import './mb-day-plans.js';

/** What a setting's input is drawn from, and where it hands a new value. */
export interface SettingInputOf {
  /** The setting's id (`player.volume`), the input's own id. */
  id: string;
  node: SchemaNode;
  widget: Widget;
  value: unknown;
  /** Whether the value has a problem (the input says so to assistive technology). */
  isInvalid: boolean;
  /** The ids of the help and the problem that describe the input. */
  described: string;
  look: SettingLook;
  /** The choices of a choice that this box offers. */
  offered: (choices: readonly unknown[]) => readonly unknown[];
  /** A choice's name where the form gives its own (the kiosk's languages, each in its own words). */
  labels?: Readonly<Record<string, string>>;
  /** Where the day plans' editor reads the moods it offers. */
  api: AdminApi;
  edit: (value: unknown) => void;
}

/**
 * The input of one setting of the settings form, by its kind of widget: a switch, a choice, a
 * slider or a number with its unit, a text field, the compound widgets (daily hours, folders, the
 * volume schedule, the day plans), or, for a setting only the configuration file sets, its value.
 */
export function settingInput({ id, node, widget, value, isInvalid, described, look, offered, labels, api, edit }: SettingInputOf) {
  const { unit, choices, step: lookStep } = look;
  const invalid = isInvalid ? 'true' : 'false';
  switch (widget) {
    case 'switch':
      return html`<input
        id=${id}
        type="checkbox"
        role="switch"
        .checked=${value === true}
        aria-describedby=${described}
        @change=${(e: Event) => edit((e.target as HTMLInputElement).checked)}
      />`;
    case 'choice':
      return html`<select
        id=${id}
        aria-describedby=${described}
        aria-invalid=${invalid}
        @change=${(e: Event) => edit((e.target as HTMLSelectElement).value)}
      >
        ${offered(choicesOf(node) ?? []).map((v) => {
          const name = labels?.[String(v)] ?? choices?.[String(v)] ?? capitalize(String(v));
          return html`<option value=${String(v)} ?selected=${v === value}>${name}</option>`;
        })}
      </select>`;
    case 'slider': {
      // An arrow key moves the slider one step: the look's (volume by 5, times by whole seconds), else a whole number or a tenth.
      const step = lookStep ?? (node.type === 'integer' ? 1 : (node.maximum ?? 1) - (node.minimum ?? 0) <= 1 ? 0.05 : 0.1);
      return html`<span class="inline">
        <input
          id=${id}
          type="range"
          min=${node.minimum ?? 0}
          max=${node.maximum ?? 100}
          step=${step}
          .value=${String(typeof value === 'number' ? value : (node.minimum ?? 0))}
          aria-describedby=${described}
          @input=${(e: Event) => edit((e.target as HTMLInputElement).valueAsNumber)}
        />
        <output for=${id}>${typeof value === 'number' ? amountWords(value, unit) : ''}</output>
      </span>`;
    }
    case 'number': {
      // A time kept in ms is typed in seconds; its arrows move whole seconds (a tenth may still be typed).
      const scale = unit === 'ms' ? 1000 : 1;
      const lowest = lowestOf(node);
      const highest = highestOf(node);
      return html`<span class="inline">
        <input
          id=${id}
          type="number"
          .value=${typeof value === 'number' && !Number.isNaN(value) ? String(value / scale) : ''}
          min=${lowest === undefined ? nothing : scale > 1 ? Math.ceil(lowest / scale) : lowest}
          max=${highest === undefined ? nothing : scale > 1 ? Math.floor(highest / scale) : highest}
          step=${scale > 1 || node.type === 'integer' ? '1' : 'any'}
          aria-invalid=${invalid}
          aria-describedby=${described}
          @input=${(e: Event) => {
            const typed = (e.target as HTMLInputElement).valueAsNumber;
            edit(scale > 1 && !Number.isNaN(typed) ? Math.round(typed * scale) : typed);
          }}
        />
        ${unit === undefined ? nothing : html`<span class="muted">${unitWords(unit)}</span>`}
      </span>`;
    }
    case 'text':
      return html`<input
        id=${id}
        class="wide"
        .value=${typeof value === 'string' ? value : ''}
        ?required=${(node.minLength ?? 0) > 0}
        minlength=${node.minLength ?? nothing}
        maxlength=${node.maxLength ?? nothing}
        pattern=${node.pattern ?? nothing}
        aria-invalid=${invalid}
        aria-describedby=${described}
        @input=${(e: Event) => edit((e.target as HTMLInputElement).value)}
      />`;
    case 'hours':
      return hoursWidget(node, value as Hours | null, described, edit);
    case 'folders':
      return foldersWidget(Array.isArray(value) ? (value as string[]) : [], described, edit, node.demoFolder);
    case 'schedule':
      return scheduleWidget(Array.isArray(value) ? (value as Limit[]) : [], described, edit);
    case 'plans':
      return html`<mb-day-plans
        .api=${api}
        .plans=${Array.isArray(value) ? (value as DayPlan[]) : []}
        @mb-day-plans-change=${(e: MbEvent<'mb-day-plans-change'>) => edit(e.detail.plans)}
      ></mb-day-plans>`;
    case 'readonly':
      return html`<output id=${id} data-file-only aria-describedby=${described}
        >${Array.isArray(value) ? value.join(', ') || t('admin.settings.noneShown') : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value ?? null)}</output
      >`;
    default: {
      const never: never = widget;
      return never;
    }
  }
}

/** What a setting's row is drawn from: its input's, less what the row works out itself, and the problem to show. */
export type SettingRowOf = Omit<SettingInputOf, 'widget' | 'isInvalid' | 'described' | 'look'> & {
  /** Its problem in words (the form's check of an edit, or the daemon's refusal); '' when none. */
  problem: string;
  /** What the row says under its input besides: the file's value it overrides, a camera not plugged in. */
  note?: unknown;
};

/**
 * One setting's row of the settings form: its name (with "file only" and "needs restart" flags),
 * its input, its problem beside it, and its help in staff's words.
 */
export function settingRow({ id, node, problem, note, ...rest }: SettingRowOf) {
  const look = lookOf(id, node);
  const widget = widgetOf(node, look);
  const described = `${id}-help${problem ? ` ${id}-error` : ''}`;
  const flags = html`${
    node.fileOnly === true
      ? html`<span class="chip" title=${t('admin.settings.fileOnlyWhy')}>${t('admin.settings.fileOnly')}</span>`
      : nothing
  }${
    node.requiresRestart === true && node.fileOnly !== true
      ? html`<span class="chip restart" data-restart title=${t('admin.settings.needsRestartWhy')}
          >${t('admin.settings.needsRestart')}</span
        >`
      : nothing
  }`;
  const isGroupOfControls = ['hours', 'folders', 'schedule', 'plans', 'readonly'].includes(widget);
  const name = isGroupOfControls
    ? html`<span class="name" id="${id}-label"><strong>${look.label}</strong> ${flags}</span>`
    : html`<label for=${id}>${look.label} ${flags}</label>`;
  return html`<div class="setting" data-setting=${id} data-widget=${widget}>
    ${name}
    <div class="field" role=${isGroupOfControls ? 'group' : nothing} aria-labelledby=${isGroupOfControls ? `${id}-label` : nothing}>
      ${settingInput({ id, node, widget, isInvalid: problem !== '', described, look, ...rest })}
      ${problem ? html`<p class="error" id="${id}-error" role="alert">${problem}</p>` : nothing} ${note ?? nothing}
      <p class="help" id="${id}-help">
        ${helpParts(knownHelp(id) ?? plainHelp(node.description ?? '', look, widget, id)).map((p) =>
          p.isCode ? html`<code>${p.text}</code>` : p.text,
        )}
      </p>
    </div>
  </div>`;
}
