import type { Page } from 'playwright-core';

/** The smallest text a person should have to read on a phone (CSS px). */
export const MIN_TEXT_PX = 14;
/** The smallest thing a finger should have to hit (CSS px): WCAG 2.5.5, Apple's and Google's guides. */
export const MIN_TARGET_PX = 44;

/**
 * Visible text smaller than `min` CSS pixels, shadow roots included: each as its size and the
 * first words. Text is visible when its element has a box, is not hidden, and is on the page's width.
 */
export async function smallText(page: Page, min = MIN_TEXT_PX): Promise<string[]> {
  return page.evaluate((least) => {
    const found = new Map<string, string>();
    const visible = (el: Element): boolean => {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
      const box = el.getBoundingClientRect();
      return box.width > 1 && box.height > 1;
    };
    const walk = (root: Document | ShadowRoot): void => {
      const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = texts.nextNode(); node !== null; node = texts.nextNode()) {
        const text = (node.textContent ?? '').trim();
        const el = node.parentElement;
        if (text === '' || el === null || ['STYLE', 'SCRIPT', 'TITLE'].includes(el.tagName)) continue;
        // Text a screen reader alone reads (the skip link off screen, visually hidden labels).
        const box = el.getBoundingClientRect();
        if (box.right < 0 || box.left > window.innerWidth || !visible(el)) continue;
        if (el.closest('[aria-hidden="true"]') !== null) continue;
        const size = Number.parseFloat(getComputedStyle(el).fontSize);
        if (size < least) found.set(`${el.tagName.toLowerCase()} ${size.toFixed(1)} px: “${text.slice(0, 40)}”`, '');
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot);
    };
    walk(document);
    return [...found.keys()];
  }, min);
}

/** A target a finger must hit, as drawn: its tag, its name, and its size in CSS px. */
export interface Target {
  tag: string;
  name: string;
  width: number;
  height: number;
  /** A slider: its height is its target, and its width its length. */
  isRange: boolean;
}

/**
 * Visible targets a finger must hit, shadow roots included: buttons, links, selects, text fields,
 * and the labels of checkboxes and radio buttons (the label is the target). Links inside running
 * text are left out (WCAG's inline exception).
 */
export async function targets(page: Page): Promise<Target[]> {
  return page.evaluate(() => {
    const found: Target[] = [];
    const walk = (root: Document | ShadowRoot): void => {
      for (const el of root.querySelectorAll<HTMLElement>('button, a[href], select, input, textarea, summary')) {
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
        let target: Element = el;
        if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) target = el.closest('label') ?? el;
        const box = target.getBoundingClientRect();
        // Off the screen until focused (the skip link), or not drawn.
        if (box.width === 0 || box.height === 0 || box.right <= 0 || box.bottom <= -window.scrollY) continue;
        // A link inside a sentence is text: its line is its size.
        if (
          el.tagName === 'A' &&
          style.display === 'inline' &&
          el.parentElement !== null &&
          ['P', 'LI', 'SPAN', 'DD', 'FIGCAPTION'].includes(el.parentElement.tagName)
        )
          continue;
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? (el as HTMLInputElement).name ?? '').trim().replace(/\s+/g, ' ');
        const isRange = el instanceof HTMLInputElement && el.type === 'range';
        found.push({ tag: el.tagName.toLowerCase(), name: name.slice(0, 30), width: box.width, height: box.height, isRange });
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) walk(host.shadowRoot);
    };
    walk(document);
    return found;
  });
}

/** A target's smaller side, the one a finger may miss: a slider's height alone. */
export function targetSize(target: Target): number {
  return target.isRange ? target.height : Math.min(target.width, target.height);
}

/** Visible targets (`targets`) smaller than `min` CSS pixels either way (a slider's height alone), each as its tag, name and size. */
export async function smallTargets(page: Page, min = MIN_TARGET_PX): Promise<string[]> {
  return (await targets(page))
    .filter((target) => targetSize(target) < min - 0.5)
    .map(({ tag, name, width, height }) => `${tag} “${name}” is ${Math.round(width)}x${Math.round(height)} px`);
}
