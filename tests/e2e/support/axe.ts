import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** The page's axe-core violations of WCAG 2.1 A and AA, one line each (rule: elements). */
export async function axeViolations(page: Page): Promise<string[]> {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map(
		(v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
}
