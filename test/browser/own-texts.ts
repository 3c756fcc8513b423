import type { Page } from 'playwright-core';

/**
 * A screen's own texts (headings, buttons, labels, statuses) through every shadow root, leaving out
 * what matches `skip` (the library's titles and artists, the daemon's sentences not yet sent as
 * data), styles and the title; with `visibleOnly`, texts that are not shown too. A language test
 * checks each is in the reader's language.
 */
export async function ownTexts(page: Page, skip: string, options: { visibleOnly?: boolean } = {}): Promise<string[]> {
  return page.evaluate(
    ({ skip, visibleOnly }) => {
      const texts: string[] = [];
      const visit = (root: Document | ShadowRoot): void => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          const parent = node.parentElement;
          const text = (node.textContent ?? '').trim();
          if (text === '' || parent === null || parent.closest('style, title') !== null || parent.closest(skip) !== null) continue;
          if (visibleOnly && !parent.checkVisibility()) continue;
          texts.push(text);
        }
        for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
      };
      visit(document);
      return texts;
    },
    { skip, visibleOnly: options.visibleOnly === true },
  );
}
