import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { describeFinding, runAxe } from './axe.js';
import { expectNoHorizontalOverflow } from './viewport.js';

/** The two checks every screen an e2e visits must pass: no sideways scroll at 390 px, and no serious or critical axe finding. */
export async function expectScreenOk(page: Page, where: string): Promise<void> {
  await expectNoHorizontalOverflow(page, where);
  const report = await runAxe(page);
  expect(report.blocking.map(describeFinding), `axe on ${where}`).toEqual([]);
}
