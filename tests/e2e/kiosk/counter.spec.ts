import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, openStaffPanel, pairTouchpoint, test } from './fixtures';

// The kiosk as a citizen meets it at the counter, in both orientations of the tablet: every
// screen fits without scrolling, every answer is a target of at least 120 × 120 CSS px with 16 px
// around it, the question is at least 32 px, and axe (WCAG 2.2 AA) finds nothing. A screenshot of
// each screen is attached to the report to be looked at.
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const orientations = [
	{
		name: 'portrait',
		viewport: { width: 800, height: 1280 },
		units: ['AG.CD.CPA', 'AG.CD.CPB', 'AG.CD.VN'],
		office: 'Phường Châu Phú A'
	},
	{
		name: 'landscape',
		viewport: { width: 1280, height: 800 },
		units: ['AG.CD.NS', 'AG.CD.VM', 'AG.CD.VT'],
		office: 'Phường Núi Sam'
	}
];
mkdirSync('test-results/screens', { recursive: true });

type Box = { x: number; y: number; width: number; height: number };

/** The space between two boxes that do not overlap: the larger of the two axis gaps. */
function apart(a: Box, b: Box): number {
	const dx = Math.max(a.x, b.x) - Math.min(a.x + a.width, b.x + b.width);
	const dy = Math.max(a.y, b.y) - Math.min(a.y + a.height, b.y + b.height);
	return Math.max(dx, dy);
}

async function look(page: Page, name: string, orientation: string) {
	// Let the short fade-in end, so the picture and axe's colours are the settled screen.
	await page.waitForTimeout(250);
	const file = `test-results/screens/kiosk-${name}-${orientation}.png`;
	await page.screenshot({ path: file });
	await test
		.info()
		.attach(`kiosk-${name}-${orientation}`, { path: file, contentType: 'image/png' });
	const size = await page.evaluate(() => ({
		scrollHeight: document.documentElement.scrollHeight,
		scrollWidth: document.documentElement.scrollWidth,
		height: innerHeight,
		width: innerWidth
	}));
	expect(size.scrollHeight, `${name} (${orientation}) scrolls down`).toBeLessThanOrEqual(
		size.height
	);
	expect(size.scrollWidth, `${name} (${orientation}) scrolls sideways`).toBeLessThanOrEqual(
		size.width
	);
	const axe = await new AxeBuilder({ page }).withTags(WCAG).analyze();
	expect(axe.violations, `${name} (${orientation})`).toEqual([]);
}

/** The answer targets on screen: each at least 120 × 120 px and 16 px from every other. */
async function checkTargets(page: Page, what: string, count: number) {
	const boxes = await page.locator('.answer').evaluateAll((elements) =>
		elements.map((e) => {
			const r = e.getBoundingClientRect();
			return { x: r.x, y: r.y, width: r.width, height: r.height };
		})
	);
	expect(boxes, what).toHaveLength(count);
	for (const box of boxes) {
		expect(box.width, `${what}: width`).toBeGreaterThanOrEqual(120);
		expect(box.height, `${what}: height`).toBeGreaterThanOrEqual(120);
	}
	for (let i = 0; i < boxes.length; i++)
		for (let j = i + 1; j < boxes.length; j++)
			expect(apart(boxes[i]!, boxes[j]!), `${what}: targets ${i} and ${j}`).toBeGreaterThanOrEqual(
				16
			);
	const questionPx = await page
		.getByRole('heading', { level: 1 })
		.evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
	expect(questionPx, `${what}: question text`).toBeGreaterThanOrEqual(32);
}

/** Skips (or answers with the first target) until `until` holds on the screen. */
async function moveUntil(page: Page, until: () => Promise<boolean>) {
	for (let i = 0; i < 45 && !(await until()); i++) {
		const progress = await page.locator('.progress p').textContent();
		const skip = page.getByRole('button', { name: /^(Bỏ qua|Skip|រំលង)/ });
		if (await skip.isVisible()) await skip.tap();
		else await page.locator('.answer').first().tap();
		await expect(page.locator('.progress p')).not.toHaveText(progress ?? '');
	}
}

for (const o of orientations) {
	test.describe(o.name, () => {
		test.use({ viewport: o.viewport });
		// Forty questions walked by touch and axe on seven screens: more than the default 30 s.
		test.describe.configure({ timeout: 90_000 });

		test(`SIPAS at the counter (${o.name}): welcome, five faces, N/A, a long choice, thanks`, async ({
			page,
			admin
		}) => {
			const touchpoint = await admin.kioskTouchpoint(o.units[0]!, 'sipas-one-stop');
			await page.clock.install();
			await page.goto(`${admin.origin}/kiosk`);
			await expect(page.getByRole('heading', { name: 'Ghép nối máy tính bảng' })).toBeVisible();
			await look(page, 'pairing', o.name);
			await pairTouchpoint(page, admin, touchpoint);
			// The office and its province come from the unit tree.
			await expect(page.locator('.hl-brand')).toContainText('Ủy ban nhân dân tỉnh An Giang');
			await expect(page.locator('.hl-brand')).toContainText(o.office);
			await look(page, 'welcome', o.name);

			await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
			await expect(page.getByText('Câu 1/40')).toBeVisible();
			await checkTargets(page, 'five faces', 5);
			await look(page, 'scale', o.name);
			await page.getByRole('button', { name: 'Hài lòng', exact: true }).tap();
			await expect(page.getByText('Câu 2/40')).toBeVisible();

			// A question that may not concern everyone: N/A set apart under the five faces.
			await moveUntil(page, async () => (await page.locator('.answer').count()) === 6);
			await expect(page.locator('.answer.na')).toHaveText('Không ý kiến / không sử dụng');
			await checkTargets(page, 'five faces and N/A', 6);
			await look(page, 'scale-na', o.name);
			await page.locator('.answer.na').tap();

			// The longest choice on the kiosk: seven options.
			await moveUntil(page, async () => (await page.locator('.answer').count()) === 7);
			await checkTargets(page, 'seven options', 7);
			await look(page, 'choice', o.name);

			await moveUntil(page, async () =>
				page.getByRole('button', { name: /^Gửi đánh giá/ }).isVisible()
			);
			await page.getByRole('button', { name: /^Gửi đánh giá/ }).tap();
			await expect(page.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
			await expect(page.getByText(/người tiếp theo sau [1-5] giây/)).toBeVisible();
			await look(page, 'thanks', o.name);
			// The countdown ends on the welcome screen, ready for the next citizen.
			await page.clock.runFor(6_000);
			await expect(page.getByRole('button', { name: 'Chạm để đánh giá' })).toBeVisible();
		});

		test(`one-stop case at the counter (${o.name}): three faces, a written answer, idle prompt`, async ({
			page,
			admin
		}) => {
			const touchpoint = await admin.kioskTouchpoint(o.units[1]!);
			await admin.idle(touchpoint, 10, 'discard');
			await page.clock.install();
			await pairTouchpoint(page, admin, touchpoint);
			await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
			await checkTargets(page, 'three faces', 3);
			await look(page, 'rating3', o.name);
			await page.getByRole('button', { name: 'Rất hài lòng', exact: true }).tap();
			await expect(page.getByText('Câu 2/5')).toBeVisible();
			await page.clock.runFor(11_000);
			await expect(page.getByRole('alertdialog')).toBeVisible();
			await look(page, 'idle', o.name);
			await page.getByRole('button', { name: 'Tiếp tục đánh giá' }).tap();
			await moveUntil(page, async () => (await page.locator('textarea').count()) === 1);
			await page.locator('textarea').fill('Cán bộ hướng dẫn tận tình.');
			await look(page, 'text', o.name);
			await openStaffPanel(page);
			await look(page, 'staff-panel', o.name);
		});

		test(`in Khmer at the counter (${o.name}): offered once reviewed, drawn in a Khmer face, axe-clean`, async ({
			page,
			admin
		}) => {
			const touchpoint = await admin.kioskTouchpoint(o.units[2]!);
			await admin.reviewKhmer('one-stop-case', true);
			try {
				await page.clock.install();
				await pairTouchpoint(page, admin, touchpoint);
				await page.getByRole('button', { name: 'ខ្មែរ — ចុចដើម្បីវាយតម្លៃ' }).tap();
				await expect(page.locator('.kiosk')).toHaveAttribute('lang', 'km');
				await expect(page.getByText('សំណួរទី 1/5')).toBeVisible();
				await checkTargets(page, 'three faces in Khmer', 3);
				// The Khmer letters come from the self-hosted Noto Sans Khmer, not a system fallback.
				const khmerFaces = await page.evaluate(async () => {
					await document.fonts.ready;
					return [...document.fonts].filter(
						(f) => f.family.includes('Noto Sans Khmer') && f.status === 'loaded'
					).length;
				});
				expect(khmerFaces).toBeGreaterThan(0);
				await look(page, 'km-question', o.name);
				await page.getByRole('button', { name: 'ពេញចិត្តខ្លាំង', exact: true }).tap();
				await moveUntil(page, async () => (await page.locator('textarea').count()) === 1);
				await page.getByRole('button', { name: /^ផ្ញើ/ }).tap();
				await expect(page.getByRole('heading', { name: 'សូមអរគុណ!' })).toBeVisible();
				await look(page, 'km-thanks', o.name);
			} finally {
				await admin.reviewKhmer('one-stop-case', false);
			}
		});
	});
}
