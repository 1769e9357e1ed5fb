import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The phone viewport of newAppContext (tests/e2e/harness/browser.ts). */
const PHONE_WIDTH = 390;

/**
 * Asserts the page does not scroll sideways at the phone's width; a failure names what sticks out
 * (elements, and text that overflows a box that itself fits).
 */
export async function expectNoHorizontalOverflow(page: Page, where: string, width = PHONE_WIDTH): Promise<void> {
  const { scrollWidth, culprits } = await page.evaluate((limit) => ({
    scrollWidth: document.documentElement.scrollWidth,
    // The elements reaching past the viewport, to name in the failure.
    culprits: (() => {
      const found: string[] = [];
      const name = (element: Element | null) => (element ? `${element.tagName.toLowerCase()}${element.getAttribute('data-testid') ? `[${element.getAttribute('data-testid')}]` : ''}` : '?');
      for (const element of document.querySelectorAll('body *')) if (element.getBoundingClientRect().right > limit + 0.5) found.push(name(element));
      // Text can overflow a box that itself fits: measure the text too.
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (range.getBoundingClientRect().right > limit + 0.5) found.push(`text in ${name(node.parentElement)}: ${node.textContent!.slice(0, 40)}`);
      }
      return found.slice(-6);
    })(),
  }), width);
  expect(scrollWidth, `horizontal overflow on ${where}: ${culprits.join(', ')}`).toBeLessThanOrEqual(width);
}
