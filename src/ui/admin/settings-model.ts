import type { ConfigSchemaNode } from '../data/admin-api.js';
import { formatNumber, t, type AdminKey } from './admin-i18n.js';
import {
  ADVANCED_PARTS,
  CUTTING,
  LOOKS,
  SECTION_GROUP,
  choiceLabel,
  hasKnownLabel,
  knownChoiceLabel,
  knownLookLabel,
  partTitle,
  sectionPart,
  sectionTitle,
  type SettingLook,
  type Unit,
} from './setting-looks.js';

export { GROUPS, groupIntro, groupTitle, partTitle, type GroupId, type SettingLook, type Unit } from './setting-looks.js';

/** A schema node as the daemon sends it (TypeBox's JSON schema), with the `const` of a literal. */
export type SchemaNode = ConfigSchemaNode & { const?: unknown };

/** Whether dotted `key` names a setting (its first part is a section of the configuration), not a file or a host name. */
export function isSettingKey(key: string): boolean {
  const section = key.split('.')[0] ?? '';
  return section in SECTION_GROUP || sectionTitle(section) !== undefined || Object.keys(LOOKS).some((id) => id.startsWith(`${section}.`));
}

/** The label of a setting (or a section's title) the form knows by name, else undefined. */
export function knownLabel(key: string): string | undefined {
  if (LOOKS[key] !== undefined || hasKnownLabel(key)) return knownLookLabel(key);
  if (key === 'player.transitions') return partTitle(CUTTING);
  const title = sectionTitle(key);
  return title === undefined ? undefined : t('admin.settings.sectionSettings', { section: title });
}

/**
 * The look of the setting at dotted `id`; `fileOnly` settings (shown, not edited) go to Advanced, in
 * its part for their section. A choice whose values its look does not list (`music.source`: the
 * registered sources') names each as the catalogue does, else as the schema's `title` does.
 */
export function lookOf(id: string, node?: SchemaNode): SettingLook {
  const known = LOOKS[id];
  const look: SettingLook =
    known === undefined
      ? lookFromKey(id)
      : {
          ...known,
          label: knownLookLabel(id),
          choices: known.choices === undefined ? undefined : Object.fromEntries(known.choices.map((c) => [c, choiceLabel(id, c)])),
        };
  const choices = look.choices ?? (node === undefined ? undefined : choiceNames(id, node));
  const group = node?.fileOnly === true ? 'advanced' : look.group;
  // Advanced is a short list of closed topics, one per section.
  const section = id.split('.')[0] ?? '';
  const part = group === 'advanced' ? (look.part ?? ADVANCED_PARTS[section] ?? sectionPart(section) ?? 'other') : look.part;
  return { ...look, group, ...(choices === undefined ? {} : { choices }), ...(part === undefined ? {} : { part }) };
}

/** The names of a choice's values from the catalogue or the schema's `title` of each, or undefined where it has none. */
function choiceNames(id: string, node: SchemaNode): Record<string, string> | undefined {
  const named = (node.anyOf ?? []).flatMap((option: SchemaNode) => {
    const value = option.const;
    if (typeof value !== 'string') return [];
    const name = knownChoiceLabel(id, value) ?? option.title;
    return name === undefined ? [] : [[value, name] as const];
  });
  return named.length === 0 ? undefined : Object.fromEntries(named);
}

/** The look of a setting the form does not know by name: a label from its key, the group of its section. */
function lookFromKey(id: string): SettingLook {
  const section = id.includes('.') ? (id.split('.')[0] ?? '') : '';
  const title = sectionTitle(section);
  // A time in ms is shown in seconds: the label names no unit, the input says seconds.
  const inMs = /Ms$/.test(id);
  // A setting no look names (one added since) is labelled from its key, in English words.
  const words = labelFromKey(id).replace(/ \(ms\)$/, '');
  return {
    label: hasKnownLabel(id)
      ? knownLookLabel(id)
      : title === undefined
        ? words
        : t('admin.settings.sectionLabel', { section: title, label: `${words.charAt(0).toLowerCase()}${words.slice(1)}` }),
    group: SECTION_GROUP[section] ?? 'advanced',
    ...(inMs ? { unit: 'ms' } : {}),
  };
}

/** "ws.pingIntervalMs" → "Ping interval (ms)"; "dataDir" → "Data dir". */
export function labelFromKey(id: string): string {
  const key = id.split('.').at(-1) ?? id;
  const unit = /Ms$/.test(key)
    ? ' (ms)'
    : /KiB$/.test(key)
      ? ' (KiB)'
      : /MiB$/.test(key)
        ? ' (MiB)'
        : /S$/.test(key)
          ? ' (seconds)'
          : /H$/.test(key)
            ? ' (hours)'
            : '';
  const words = key
    .replace(/(Ms|KiB|MiB|S|H)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${unit}`;
}

/** A number of milliseconds in seconds, as staff read it ("2.5 seconds"). */
export function secondsOf(ms: number): string {
  return t('admin.settings.amount.seconds', { n: Math.round(ms / 100) / 10 });
}

/** A unit on its own, as shown after a number's input ("seconds"); a time kept in ms is typed in seconds. */
export function unitWords(unit: Unit): string {
  return t(`admin.settings.unit.${unit === 'ms' ? 'seconds' : unit}`);
}

/** A number with its unit, as the reader writes it ("30 minutes", "2.5 seconds" for 2500 ms); no unit: the number. */
export function amountWords(value: number, unit: Unit | undefined): string {
  if (unit === undefined) return formatNumber(value);
  return unit === 'ms' ? secondsOf(value) : t(`admin.settings.amount.${unit}`, { n: value });
}

/** The name of a part of a setting's value (a day plan's `name`, a limit's `maxVolume`): the catalogue's, else from its key. */
function partLabel(key: string): string {
  return ['name', 'from', 'to', 'mood', 'energyCap', 'volumeCap', 'maxVolume'].includes(key)
    ? t(`admin.settings.property.${key}` as AdminKey)
    : labelFromKey(key);
}

/** The kind of widget a setting gets. */
export type Widget = 'switch' | 'choice' | 'slider' | 'number' | 'text' | 'hours' | 'folders' | 'schedule' | 'plans' | 'readonly';

/** The values of a union of literals (`anyOf` of `const`s) or an `enum`, else undefined. */
export function choicesOf(node: SchemaNode): unknown[] | undefined {
  if (node.enum) return node.enum;
  const consts = node.anyOf?.map((n: SchemaNode) => n.const);
  return consts !== undefined && consts.length > 0 && consts.every((c) => c !== undefined) ? consts : undefined;
}

function isHoursObject(node: SchemaNode | undefined): boolean {
  const props = node?.properties;
  return props !== undefined && 'from' in props && 'to' in props;
}

/** The object of a nullable object node (`anyOf: [null, object]`), else undefined. */
export function nullableObject(node: SchemaNode): SchemaNode | undefined {
  const options = node.anyOf;
  if (options?.length !== 2 || !options.some((n) => n.type === 'null')) return undefined;
  return options.find((n) => n.type === 'object');
}

/** The widget for `node`; `look` (from `lookOf`) may ask for a slider with its own step. */
export function widgetOf(node: SchemaNode, look?: SettingLook): Widget {
  if (node.fileOnly === true) return 'readonly';
  if (choicesOf(node) !== undefined) return 'choice';
  if (isHoursObject(nullableObject(node))) return 'hours';
  if (node.type === 'boolean') return 'switch';
  if (node.type === 'integer' || node.type === 'number') {
    if (look?.step !== undefined && node.minimum !== undefined && node.maximum !== undefined) return 'slider';
    // An exclusive bound is not a slider's end (the end itself is not allowed): such a number is typed.
    const span = (node.maximum ?? Infinity) - (node.minimum ?? -Infinity);
    return span <= 100 ? 'slider' : 'number';
  }
  if (node.type === 'array' && node.items?.type === 'string') return 'folders';
  // Named blocks of hours are day plans (a name, a mood, caps); unnamed ones a volume schedule.
  if (node.type === 'array' && isHoursObject(node.items)) return node.items?.properties?.['name'] === undefined ? 'schedule' : 'plans';
  if (node.type === 'string') return 'text';
  return 'readonly';
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

/** The problem with `value` for `node` in staff's words, or '' when it fits. */
export function problemOf(node: SchemaNode, value: unknown, unit?: string): string {
  const nullable = nullableObject(node);
  if (value === null)
    return nullable !== undefined || node.anyOf?.some((n) => n.type === 'null') === true ? '' : t('admin.settings.problem.valueNeeded');
  if (nullable !== undefined) return problemOf(nullable, value);
  if (value === undefined) return '';
  const choices = choicesOf(node);
  if (choices !== undefined) return choices.includes(value) ? '' : t('admin.settings.problem.chooseOne', { choices: choices.join(', ') });
  const type = typeof node.type === 'string' ? node.type : undefined;
  switch (type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return t('admin.settings.problem.number');
      if (node.type === 'integer' && !Number.isInteger(value)) return t('admin.settings.problem.wholeNumber');
      // A time kept in ms is typed in seconds: its limits are said in seconds too. A limit is written as typed (65535, not 65,535).
      const shown = (n: number): string => (unit === 'ms' ? secondsOf(n) : formatNumber(n, { useGrouping: false }));
      if (node.minimum !== undefined && value < node.minimum) return t('admin.settings.problem.atLeast', { least: shown(node.minimum) });
      if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum)
        return t('admin.settings.problem.above', { bound: shown(node.exclusiveMinimum) });
      if (node.maximum !== undefined && value > node.maximum) return t('admin.settings.problem.atMost', { most: shown(node.maximum) });
      if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum)
        return t('admin.settings.problem.below', { bound: shown(node.exclusiveMaximum) });
      return '';
    }
    case 'string': {
      if (typeof value !== 'string') return t('admin.settings.problem.text');
      if (node.minLength !== undefined && value.length < node.minLength) {
        return node.minLength <= 1 ? t('admin.settings.problem.empty') : t('admin.settings.problem.minLength', { least: node.minLength });
      }
      if (node.maxLength !== undefined && value.length > node.maxLength)
        return t('admin.settings.problem.maxLength', { most: node.maxLength });
      if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) {
        return node.pattern === TIME.source ? t('admin.settings.problem.time') : t('admin.settings.problem.form');
      }
      return '';
    }
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return t('admin.settings.problem.valueNeeded');
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        const problem = problemOf(child, (value as Record<string, unknown>)[key]);
        if (problem !== '') return t('admin.settings.problem.part', { part: partLabel(key), problem });
      }
      return '';
    }
    case 'array': {
      if (!Array.isArray(value)) return t('admin.settings.problem.list');
      for (const [i, item] of value.entries()) {
        const problem = node.items === undefined ? '' : problemOf(node.items, item);
        if (problem !== '') return t('admin.settings.problem.row', { row: i + 1, problem });
      }
      return '';
    }
    case 'boolean':
    case 'null':
    case undefined:
    default:
      return '';
  }
}

/** The leaves of the schema (settings), as dotted ids with their nodes, in schema order; `version` left out. */
export function settingsOf(schema: SchemaNode): Array<[string, SchemaNode]> {
  const out: Array<[string, SchemaNode]> = [];
  const walk = (node: SchemaNode, path: string[]): void => {
    if (node.type === 'object' && node.properties !== undefined && !isHoursObject(node)) {
      for (const [key, child] of Object.entries(node.properties)) walk(child, [...path, key]);
      return;
    }
    out.push([path.join('.'), node]);
  };
  for (const [key, child] of Object.entries(schema.properties ?? {})) if (key !== 'version') walk(child, [key]);
  return out;
}

/** The smallest value a number setting takes, for the input's `min` (an exclusive bound is not itself allowed: the form says so). */
export function lowestOf(node: SchemaNode): number | undefined {
  return node.minimum ?? node.exclusiveMinimum;
}

/** The largest value a number setting takes, for the input's `max`. */
export function highestOf(node: SchemaNode): number | undefined {
  return node.maximum ?? node.exclusiveMaximum;
}

type Json = Record<string, unknown>;

/** The value at `path` of a settings object, or undefined. */
export function getAt(obj: Json, path: string[]): unknown {
  let at: unknown = obj;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Json)[key] : undefined;
  return at;
}

/** A copy of `obj` with `value` at `path`, the objects on the way copied too. */
export function setAt(obj: Json, path: string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const child = typeof obj[head] === 'object' && obj[head] !== null ? (obj[head] as Json) : {};
  return { ...obj, [head]: rest.length === 0 ? value : setAt(child, rest, value) };
}

/** A copy of `obj` without the value at `path` (and without the objects it leaves empty). */
export function withoutAt(obj: Json, path: string[]): Json {
  const [head, ...rest] = path;
  if (head === undefined || !(head in obj)) return obj;
  const { [head]: child, ...others } = obj;
  if (rest.length === 0 || typeof child !== 'object' || child === null) return others;
  const kept = withoutAt(child as Json, rest);
  return Object.keys(kept).length === 0 ? others : { ...others, [head]: kept };
}
