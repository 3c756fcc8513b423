import type { Page } from 'playwright-core';

export interface TextFitOptions {
  /**
   * Buttons that may take two lines, breaking between words or at a hyphen (the settings' tabs, a
   * third of a phone's width each, hyphenate "Bild-schirme"); their words are still looked at.
   * @default none
   */
  mayWrap?: string;
}

/**
 * What a narrow phone does wrong with words, over the whole page, shadow roots included: a word
 * broken across two lines ("Mornin/g Fog"), a title or an artist cut short (an ellipsis, a clamp,
 * anything that hides part of it), and a button whose words wrap ("Not this 0/3" on two lines; a song's tile holds its title and
 * artist on lines of their own).
 * A word may break after a hyphen that ends a part of it ("RFID-/Leser", a soft hyphen's "Bild-/schirme"),
 * or after the en dash of a range ("(0–/100)"), as a typesetter breaks it, but not after one that begins
 * it ("und -/Playlists"). Code, paths and addresses (a `/`, a `.csv`) may break anywhere. Texts hidden but for screen readers are left out.
 * `selector` names the texts to look at. Each problem is named by the text it is about.
 */
export async function textFitProblems(
  page: Page,
  selector = '.t, .a, .title, .artist, .when, .status, .chip, [data-limit]',
  options: TextFitOptions = {},
): Promise<string[]> {
  const wanted = [selector, options.mayWrap ?? ''] as const;
  return page.evaluate(([texts, mayWrap]) => {
    const problems: string[] = [];
    /** The lines the boxes sit on: a box starts a new line when it begins below the line before (texts of two sizes on one line are one line). */
    const rows = (rects: DOMRect[]): number => {
      let count = 0;
      let bottom = -Infinity;
      for (const r of [...rects].filter((b) => b.width > 0).sort((a, b) => a.top - b.top)) {
        const isNewLine = r.top >= bottom - 2;
        if (isNewLine) count += 1;
        bottom = isNewLine ? r.bottom : Math.max(bottom, r.bottom);
      }
      return count;
    };
    const lines = (range: Range): number => rows([...range.getClientRects()]);
    /** The lines the words of `el` take (its icons left out). */
    const textLines = (el: Element): number => {
      const rects: DOMRect[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if ((node.textContent ?? '').trim() === '') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(...range.getClientRects());
      }
      return rows(rects);
    };
    const words = (el: Element): void => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        for (const match of text.matchAll(/\S+/g)) {
          if (/[/\\`@_=<>{}|]|\.\p{L}/u.test(match[0])) continue;
          let start = match.index;
          for (const part of match[0].split(/(?<=[\p{L}\p{N}][-\u00AD\u2010\u2013])/u)) {
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + part.length);
            start += part.length;
            if (lines(range) > 1) problems.push(`“${match[0]}” breaks across lines in “${(el.textContent ?? '').trim()}”`);
          }
        }
      }
    };
    const visit = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll<HTMLElement>(texts)) {
        const box = el.getBoundingClientRect();
        // Not drawn, or drawn in a pixel for screen readers alone (a heading too long for the narrowest phones).
        if (box.width <= 1 || box.height <= 1 || !el.checkVisibility()) continue;
        words(el);
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
          problems.push(
            `“${(el.textContent ?? '').trim()}” is cut short (${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight})`,
          );
        }
      }
      for (const button of root.querySelectorAll<HTMLElement>('button:not(.tile)')) {
        if (button.getClientRects().length === 0) continue;
        if (textLines(button) > 1 && (mayWrap === '' || !button.matches(mayWrap)))
          problems.push(`the button “${(button.textContent ?? '').trim().replace(/\s+/g, ' ')}” wraps`);
        if (button.scrollWidth > button.clientWidth + 1) problems.push(`the button “${(button.textContent ?? '').trim()}” overflows`);
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
    };
    visit(document);
    return [...new Set(problems)];
  }, wanted);
}
