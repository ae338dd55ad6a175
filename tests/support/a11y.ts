import { AxeBuilder } from '@axe-core/playwright';
import type { Result } from 'axe-core';
import type { Page } from 'playwright-core';

/**
 * axe-core in Chromium (issue 19): the WCAG 2.1 A and AA rules on the page as it is shown. A test fails on any
 * violation of impact "serious" or "critical"; milder findings are returned for the test to report.
 */

/** The WCAG 2.0 and 2.1 levels A and AA: what BITV 2.0 (through EN 301 549) asks for. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Rules switched off, each with its reason. Every rule left out of the run must be named here: a test must never
 * pass because a rule was quietly dropped.
 */
export const DISABLED_RULES: Readonly<Record<string, string>> = {};

/** Parts of the page axe does not look into, each with its reason. */
export const EXCLUDED: Readonly<Record<string, string>> = {
  '.maplibregl-canvas':
    'the WebGL canvas of the map has no text to check; its text alternative is the table of areas, which is checked',
};

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const describeResult = (result: Result): AxeFinding => ({
  rule: result.id,
  impact: result.impact ?? 'unknown',
  help: result.help,
  targets: result.nodes.slice(0, 5).map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
});

/** The serious and critical violations on the page (to be empty), and the milder ones. */
export async function axeFindings(page: Page): Promise<{ blocking: AxeFinding[]; minor: AxeFinding[] }> {
  let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of Object.keys(EXCLUDED)) builder = builder.exclude(selector);
  const disabled = Object.keys(DISABLED_RULES);
  if (disabled.length) builder = builder.disableRules(disabled);
  const results = await builder.analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = results.violations.filter((v) => !blocking.includes(v));
  return { blocking: blocking.map(describeResult), minor: minor.map(describeResult) };
}
