import { t } from './admin-i18n.js';
import { amountWords, isSettingKey, knownLabel, lookOf, type SchemaNode, type SettingLook, type Widget } from './settings-model.js';

/**
 * The settings page's words: help in staff's words, and what a save did, said back. The help is the
 * configuration schema's own, in English (the daemon's words); the labels of the settings and
 * choices it names are the form's, in the reader's language, so that the reader finds them.
 */

/** A number of milliseconds in seconds, in the help's English ("2.5 seconds"). */
function englishSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s.toLocaleString('en')} second${s === 1 ? '' : 's'}`;
}

/** Help text split into plain text and code (what the schema writes between backticks). */
export function helpParts(text: string): Array<{ text: string; isCode: boolean }> {
  return text.split('`').map((part, i) => ({ text: part, isCode: i % 2 === 1 }));
}

/**
 * The schema's help in staff's words for a setting that looks like `look`: a choice's value
 * (`quiet`) becomes the label the form shows for it (“Play calm music, quietly”), a bound time's
 * `null: none` says what the tick box does, and a unit the form already shows is not repeated.
 */
export function plainHelp(text: string, look: SettingLook, widget: Widget, id = ''): string {
  let plain = namesInWords(text, id);
  for (const [value, label] of Object.entries(look.choices ?? {})) plain = plain.replaceAll(`\`${value}\``, `“${label}”`);
  if (widget === 'hours') {
    plain = plain.replace(/;?\s*null: (\w+)/, (_, what: string) => `; untick the box for ${what === 'always' ? 'all hours' : what}`);
    plain = plain.replace(/`to` before `from` spans midnight/, 'An end before the start runs past midnight');
  }
  if (look.unit !== undefined) plain = plain.replace(/\s*\((ms|seconds|hours|px)\)/, '');
  if (look.unit === 'ms') plain = plain.replace(/\(ms, up to (\d+)\)/, (_, most: string) => `(up to ${englishSeconds(Number(most))})`);
  return plain;
}

/**
 * Another setting named in a help text (`guests.waitMin`, `server.host`, a sibling's `fadeMs`, a
 * section's `player.transitions`) in the words the form labels it with: “A song that does not fit
 * the room waits at most”, in plain text where the key was code. `id` is the setting the help is
 * for (its section resolves a sibling).
 */
export function namesInWords(text: string, id: string): string {
  const section = id.split('.').slice(0, -1).join('.');
  // A dotted word is a setting only under a section of the configuration: cafe-box.local, manifest.json and e.g. stay.
  const dotted = (key: string) => (isSettingKey(key) ? `“${knownLabel(key) ?? lookOf(key).label}”` : undefined);
  const sibling = (key: string) => {
    const full = section === '' ? key : `${section}.${key}`;
    return knownLabel(full) !== undefined || /Ms$|MiB$|KiB$/.test(key) ? `“${lookOf(full).label}”` : undefined;
  };
  return text
    .replace(
      /`([a-z]+(?:\.[a-z][A-Za-z]*)+|[a-z]+[A-Z][A-Za-z]*)`/g,
      (whole, key: string) => (key.includes('.') ? dotted(key) : sibling(key)) ?? whole,
    )
    .replace(/\b([a-z]+(?:\.[a-z][A-Za-z]*)+)\b/g, (whole, key: string) => dotted(key) ?? whole)
    .replace(/\b([a-z]+[A-Z][A-Za-z]*)\b/g, (whole, key: string) => sibling(key) ?? whole);
}

/**
 * A saved setting and its new value in staff's words: "Use the camera set to off", "Maximum
 * volume set to 30", "Quiet hours (no music) set to 23:30–07:00".
 */
export function changeWords(id: string, value: unknown, node?: SchemaNode): string {
  const look = lookOf(id, node);
  return t('admin.settings.setTo', { setting: look.label, value: valueWords(value, look) });
}

/** A setting's value in staff's words ("on", "30", "23:30–07:00"). */
export function valueWords(value: unknown, look: SettingLook): string {
  if (value === null || value === undefined) return t('admin.settings.value.none');
  if (typeof value === 'boolean') return value ? t('admin.settings.value.on') : t('admin.settings.value.off');
  // A time kept in ms was typed in seconds: said back in seconds.
  if (typeof value === 'number') return amountWords(value, look.unit);
  if (typeof value === 'string') return look.choices?.[value] ?? (value === '' ? t('admin.settings.value.nothing') : value);
  if (Array.isArray(value))
    return value.length === 0 ? t('admin.settings.value.none') : value.map((v) => valueWords(v, { ...look, unit: undefined })).join(', ');
  if (typeof value === 'object') {
    const { name, from, to, maxVolume } = value as { name?: unknown; from?: unknown; to?: unknown; maxVolume?: unknown };
    if (typeof from === 'string' && typeof to === 'string') {
      const hours = t('admin.settings.value.hours', { from, to });
      const limited = typeof maxVolume === 'number' ? t('admin.settings.value.atMost', { hours, most: maxVolume }) : hours;
      return typeof name === 'string' ? t('admin.settings.value.named', { name, hours: limited }) : limited;
    }
  }
  return JSON.stringify(value);
}

/**
 * What a save of the music folders does to the demo songs, in words: they leave the library when
 * the first folder of the owner's own joins the list, and come back when the last one leaves it.
 */
export function demoWords(before: unknown, after: unknown, nodes: ReadonlyArray<[string, SchemaNode]>): string {
  const demo = nodes.find(([id]) => id === 'library.folders')?.[1].demoFolder;
  const hasOwn = (folders: unknown) =>
    Array.isArray(folders) && folders.some((f) => typeof f === 'string' && f.trim() !== '' && f !== demo);
  const hasDemo = (folders: unknown) => Array.isArray(folders) && folders.includes(demo);
  if (demo === undefined || hasOwn(before) === hasOwn(after)) return '';
  if (hasOwn(after)) return t('admin.settings.demo.leave');
  return hasDemo(after) ? t('admin.settings.demo.back') : '';
}
