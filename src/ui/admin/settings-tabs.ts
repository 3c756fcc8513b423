import { html, nothing } from 'lit';
import { t } from './admin-i18n.js';
import { GROUPS, groupTitle, type GroupId } from './settings-model.js';

/** What a tab of the settings page says beside its title: unsaved changes, or a change or refusal to fix. */
export type TabMark = 'changed' | 'wrong';

/**
 * The settings page's tabs, one per group (three to a row on a phone): the one `shown` is selected
 * and the only one in the tab order; a dot marks a tab with unsaved changes, in red with a problem.
 * A click or the keys (the arrows to the tab before or after, Home and End to the first and the
 * last) call `show`, which resolves once the page is drawn again; the key's tab then has the focus.
 */
export function settingsTabs(shown: GroupId, marks: Partial<Record<GroupId, TabMark>>, show: (group: GroupId) => Promise<unknown>) {
  const onKey = (event: KeyboardEvent): void => {
    const at = GROUPS.indexOf(shown);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1 + GROUPS.length, Home: 0, End: GROUPS.length - 1 }[event.key];
    const group = to === undefined ? undefined : GROUPS[to % GROUPS.length];
    if (group === undefined) return;
    event.preventDefault();
    const list = event.currentTarget as HTMLElement;
    void show(group).then(() => list.querySelector<HTMLElement>(`#tab-${group}`)?.focus());
  };
  return html`<div class="tabs" role="tablist" aria-label=${t('admin.settings.tabsLabel')} @keydown=${onKey}>
    ${GROUPS.map((group) => {
      const isShown = group === shown;
      const mark = marks[group];
      return html`<button
        type="button"
        role="tab"
        id="tab-${group}"
        data-tab=${group}
        aria-selected=${isShown ? 'true' : 'false'}
        aria-controls=${isShown ? `panel-${group}` : nothing}
        tabindex=${isShown ? '0' : '-1'}
        @click=${() => void show(group)}
      >
        ${groupTitle(group)}${
          mark === undefined
            ? nothing
            : html`<span class="mark ${mark}" aria-hidden="true"></span
                ><span class="visually-hidden">${mark === 'wrong' ? t('admin.settings.tabToFix') : t('admin.settings.tabChanged')}</span>`
        }
      </button>`;
    })}
  </div>`;
}
