import type { Page } from 'playwright-core';

/**
 * Every visible text on the page (shadow roots included) whose computed font size is under
 * `minPx`: its words, its size and the tag of the element it sits in.
 */
export async function smallTexts(page: Page, minPx: number): Promise<string[]> {
  return page.evaluate((min) => {
    const found: string[] = [];
    const { innerWidth: vw, innerHeight: vh } = window;
    const visit = (root: Document | ShadowRoot): void => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = (node.textContent ?? '').trim();
        if (text === '') continue;
        const parent = node.parentElement ?? ((node.parentNode as ShadowRoot | null)?.host as HTMLElement | undefined);
        if (parent === undefined || parent === null) continue;
        if (!parent.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const isOnScreen = [...range.getClientRects()].some(
          (r) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh,
        );
        if (!isOnScreen) continue;
        const size = parseFloat(getComputedStyle(parent).fontSize);
        if (size < min - 0.05)
          found.push(`"${text.slice(0, 40)}" in <${parent.tagName.toLowerCase()} class="${parent.className}">: ${size.toFixed(1)} px`);
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(document);
    return found;
  }, minPx);
}

/** How many visible texts `smallTexts` looked at, so a test can say it measured something. */
export async function visibleTextCount(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    const visit = (root: Document | ShadowRoot): void => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const parent = node.parentElement;
        if ((node.textContent ?? '').trim() !== '' && parent?.checkVisibility() === true) n += 1;
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(document);
    return n;
  });
}
