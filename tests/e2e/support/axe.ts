import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';

const AXE_SOURCE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** One axe finding, with what a failure message needs to say what to fix and where. */
export type AxeFinding = { rule: string; impact: ImpactValue | null; help: string; helpUrl: string; targets: string[]; summary: string };

/**
 * What axe found on the page, split by whether it fails the build (serious, critical) or is
 * reported; `needsReview` names the rules axe could not decide (e.g. contrast over a translucent
 * overlay), which a person has to look at.
 */
export type AxeReport = { blocking: AxeFinding[]; moderate: AxeFinding[]; minor: AxeFinding[]; needsReview: string[] };

const BLOCKING: ReadonlySet<ImpactValue> = new Set(['serious', 'critical']);

/**
 * Runs axe-core (the installed version, injected into the page) on the whole document as it is
 * now, and returns its violations by impact. Runs on what is rendered: open the state to check first.
 */
export async function runAxe(page: Page): Promise<AxeReport> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE_PATH });
  const results = await page.evaluate(
    () => (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, { resultTypes: ['violations'] }),
  );
  const findings: AxeFinding[] = results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact ?? null,
    help: violation.help,
    helpUrl: violation.helpUrl,
    targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
    // axe's own "Fix any of the following" text for the first element: names the missing label, the measured contrast…
    summary: violation.nodes[0]?.failureSummary?.replace(/\s+/g, ' ').trim() ?? '',
  }));
  return {
    blocking: findings.filter((finding) => finding.impact !== null && BLOCKING.has(finding.impact)),
    moderate: findings.filter((finding) => finding.impact === 'moderate'),
    minor: findings.filter((finding) => finding.impact === 'minor'),
    needsReview: results.incomplete.map((result) => `${result.id} (${result.impact ?? 'no impact'}) at ${result.nodes.map((node) => `${node.target.map(String).join(' ')}: ${node.any[0]?.message ?? ''}`).join(' | ')}`),
  };
}

/** A finding as one readable line: rule, impact, what to do, where. */
export function describeFinding(finding: AxeFinding): string {
  return `${finding.rule} (${finding.impact}): ${finding.help} — ${finding.summary} — at ${finding.targets.slice(0, 5).join(' | ')}${finding.targets.length > 5 ? ` and ${finding.targets.length - 5} more` : ''} (${finding.helpUrl})`;
}
