import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

// Every staff page at the three sizes its users have (a manager's phone, a tablet, a desk),
// attached to the report and kept under test-results/screens/ to be looked at. Each shot also
// proves the page renders for an administrator and does not scroll sideways on a phone.
const sizes = [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'tablet', width: 800, height: 1280 },
	{ name: 'desktop', width: 1280, height: 800 }
];

const pages: { name: string; path: string }[] = [
	{ name: 'account-password', path: '/account/password' }
];

mkdirSync('test-results/screens', { recursive: true });

for (const { name, path } of pages) {
	test(`${name} at a phone, a tablet and a desk`, async ({ page }, testInfo) => {
		await signIn(page);
		for (const size of sizes) {
			await page.setViewportSize({ width: size.width, height: size.height });
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			const file = `test-results/screens/${name}-${size.name}.png`;
			await page.screenshot({ path: file, fullPage: true });
			await testInfo.attach(`${name}-${size.name}`, { path: file, contentType: 'image/png' });
			const overflow = await page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			);
			expect(overflow, `${path} scrolls sideways at ${size.width} px`).toBeLessThanOrEqual(0);
		}
	});
}
