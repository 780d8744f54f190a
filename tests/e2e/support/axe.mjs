// axe-core in the page: WCAG 2.2 A and AA plus axe's best practices, with the 24-pixel target size rule on (axe leaves
// it off by default). The page's context needs bypassCSP, since the site's policy allows no injected script.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The violations axe finds on the page as it is now, each as "rule (impact) ×nodes: selector …". */
export async function axeViolations(page, { impacts = ['serious', 'critical'] } = {}) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'], rules: { 'target-size': { enabled: true } } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`),
    }));
  });
  return violations
    .filter((v) => impacts.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes.slice(0, 3).join(' | ')}`);
}
