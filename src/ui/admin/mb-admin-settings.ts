import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AdminApi, ConfigSchemaNode } from '../data/admin-api.js';
import { ADMIN_STYLES, messageOf } from './admin-styles.js';

type Json = Record<string, unknown>;

/** The problem with a value for a schema node, or '' when it fits. */
export function validate(node: ConfigSchemaNode, value: unknown): string {
  if (value === null) return isNullable(node) ? '' : 'A value is required.';
  const type = kindOf(node);
  if (type === 'integer' || type === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'Expected a number.';
    if (type === 'integer' && !Number.isInteger(value)) return 'Expected a whole number.';
    if (node.minimum !== undefined && value < node.minimum) return `Expected at least ${node.minimum}.`;
    if (node.maximum !== undefined && value > node.maximum) return `Expected at most ${node.maximum}.`;
  }
  if (type === 'string' && typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength)
      return node.minLength === 1 ? 'Required.' : `At least ${node.minLength} characters.`;
    if (node.pattern !== undefined && !new RegExp(node.pattern).test(value)) return `Expected the form ${node.pattern}.`;
  }
  if (node.enum && !node.enum.includes(value)) return `Expected one of ${node.enum.join(', ')}.`;
  return '';
}

function isNullable(node: ConfigSchemaNode): boolean {
  return node.anyOf?.some((n) => n.type === 'null') ?? false;
}

function kindOf(node: ConfigSchemaNode): string {
  if (node.enum) return 'enum';
  if (Array.isArray(node.type)) return node.type.find((t) => t !== 'null') ?? 'string';
  return node.type ?? (node.anyOf ? 'json' : 'string');
}

function getAt(obj: Json, path: string[]): unknown {
  let at: unknown = obj;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Json)[key] : undefined;
  return at;
}

function setAt(obj: Json, path: string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return obj;
  const child = typeof obj[head] === 'object' && obj[head] !== null ? (obj[head] as Json) : {};
  return { ...obj, [head]: rest.length === 0 ? value : setAt(child, rest, value) };
}

/**
 * Settings built from the daemon's configuration schema: one field per setting with its
 * description, validation message and a "needs restart" flag. Saves the changed values as
 * overrides and says which of them wait for a restart.
 *
 * @summary Admin settings form.
 */
@customElement('mb-admin-settings')
export class MbAdminSettings extends LitElement {
  static override styles = ADMIN_STYLES;

  @property({ attribute: false }) api!: AdminApi;
  @state() private _schema: ConfigSchemaNode | null = null;
  @state() private _config: Json = {};
  @state() private _overrides: Json = {};
  @state() private _safeMode: string | null = null;
  @state() private _edits: Record<string, unknown> = {};
  @state() private _status = '';
  @state() private _error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      const [schema, settings] = await Promise.all([this.api.configSchema(), this.api.settings()]);
      this._schema = schema;
      this._config = settings.config;
      this._overrides = settings.overrides;
      this._safeMode = settings.safeMode;
      this._edits = {};
      this._error = '';
    } catch (err) {
      this._error = messageOf(err);
    }
  }

  override render() {
    const problems = this.#problems();
    return html`<h2>Settings</h2>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ''}
      ${
        this._safeMode === null
          ? nothing
          : html`<p class="error" role="alert" data-safe-mode>
              Safe mode: ${this._safeMode}. Moodbox runs on its configuration file alone. Change or discard the saved settings below, then
              restart.
            </p>`
      }
      <p class="ok" role="status">${this._status}</p>
      ${
        this._schema
          ? html`<form @submit=${this.#save} novalidate>
              ${Object.entries(this._schema.properties ?? {})
                .filter(([key]) => key !== 'version')
                .map(([key, node]) => this.#renderNode([key], node))}
              <div class="row">
                <button type="submit" ?disabled=${Object.keys(this._edits).length === 0 || problems > 0}>Save</button>
                <button type="button" class="secondary" @click=${() => void this.#load()}>Discard changes</button>
                ${problems > 0 ? html`<span class="error">Fix ${problems} field${problems === 1 ? '' : 's'} first.</span>` : nothing}
              </div>
            </form>`
          : html`<p class="muted">Loading…</p>`
      }`;
  }

  #renderNode(path: string[], node: ConfigSchemaNode): unknown {
    const id = path.join('.');
    if (kindOf(node) === 'object' && node.properties) {
      return html`<fieldset class="card" style="margin-bottom: 0.8em">
        <legend><strong>${id}</strong></legend>
        ${node.description ? html`<p class="muted">${node.description}</p>` : nothing}
        ${Object.entries(node.properties).map(([key, child]) => this.#renderNode([...path, key], child))}
      </fieldset>`;
    }
    const value = id in this._edits ? this._edits[id] : getAt(this._config, path);
    const problem = validate(node, value);
    const kind = kindOf(node);
    const input = (() => {
      if (node.fileOnly === true) return html`<output id=${id} data-file-only>${JSON.stringify(value ?? null)}</output>`;
      if (kind === 'boolean')
        return html`<input
          id=${id}
          type="checkbox"
          .checked=${value === true}
          @change=${(e: Event) => this.#edit(id, (e.target as HTMLInputElement).checked)}
        />`;
      if (kind === 'enum')
        return html`<select id=${id} @change=${(e: Event) => this.#edit(id, (e.target as HTMLSelectElement).value)}>
          ${(node.enum ?? []).map((v) => html`<option ?selected=${v === value} value=${String(v)}>${String(v)}</option>`)}
        </select>`;
      if (kind === 'integer' || kind === 'number')
        return html`<input
          id=${id}
          type="number"
          .value=${typeof value === 'number' && !Number.isNaN(value) ? String(value) : ''}
          min=${node.minimum ?? nothing}
          max=${node.maximum ?? nothing}
          step=${kind === 'integer' ? '1' : 'any'}
          aria-invalid=${problem !== ''}
          aria-describedby="${id}-help"
          @input=${(e: Event) => this.#edit(id, (e.target as HTMLInputElement).valueAsNumber)}
        />`;
      if (kind === 'string')
        return html`<input
          id=${id}
          .value=${typeof value === 'string' ? value : ''}
          aria-invalid=${problem !== ''}
          aria-describedby="${id}-help"
          @input=${(e: Event) => this.#edit(id, (e.target as HTMLInputElement).value)}
        />`;
      return html`<textarea
        id=${id}
        rows="2"
        cols="40"
        aria-describedby="${id}-help"
        .value=${JSON.stringify(value ?? null)}
        @change=${(e: Event) => this.#editJson(id, (e.target as HTMLTextAreaElement).value)}
      ></textarea>`;
    })();
    return html`<div class="row" data-setting=${id} style="flex-direction: column; align-items: flex-start; gap: 0.2em">
      <label for=${id} style="flex-direction: row; align-items: center"
        >${id}
        ${
          node.fileOnly === true
            ? html`<span class="chip" title="It runs a program or opens a file, so only the configuration file may set it"
                >configuration file only</span
              >`
            : node.requiresRestart
              ? html`<span class="chip" data-restart title="Takes effect after a restart">needs restart</span>`
              : nothing
        }</label
      >
      ${input}
      <span id="${id}-help" class="muted">${node.description ?? ''}</span>
      ${problem ? html`<span class="error" role="alert">${problem}</span>` : nothing}
    </div>`;
  }

  #edit(id: string, value: unknown): void {
    this._edits = { ...this._edits, [id]: value };
    this._status = '';
  }

  #editJson(id: string, text: string): void {
    try {
      this.#edit(id, JSON.parse(text) as unknown);
    } catch {
      this._error = `${id}: expected JSON, such as null or {"from": "08:00", "to": "22:00"}.`;
    }
  }

  #problems(): number {
    let count = 0;
    for (const [id, value] of Object.entries(this._edits)) {
      const node = this.#nodeAt(id.split('.'));
      if (node && validate(node, value) !== '') count += 1;
    }
    return count;
  }

  #nodeAt(path: string[]): ConfigSchemaNode | undefined {
    let node: ConfigSchemaNode | undefined = this._schema ?? undefined;
    for (const key of path) node = node?.properties?.[key];
    return node;
  }

  readonly #save = async (event: Event): Promise<void> => {
    event.preventDefault();
    let overrides = this._overrides;
    for (const [id, value] of Object.entries(this._edits)) overrides = setAt(overrides, id.split('.'), value);
    try {
      const saved = await this.api.saveSettings(overrides);
      this._config = saved.config;
      this._overrides = overrides;
      this._edits = {};
      this._error = '';
      this._status =
        saved.changed.length === 0
          ? 'Nothing changed.'
          : `Saved ${saved.changed.join(', ')}.` +
            (saved.restartRequired.length > 0 ? ` Restart Moodbox for ${saved.restartRequired.join(', ')} to take effect.` : '');
    } catch (err) {
      this._error = messageOf(err);
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'mb-admin-settings': MbAdminSettings;
  }
}
