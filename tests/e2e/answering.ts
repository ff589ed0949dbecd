import { expect, type Page } from '@playwright/test';

/**
 * Answers every visible question the way a hurried but complete citizen would: "4" (or the first
 * option) on each scale and choice, the first box of a multiple choice, 80 for a percentage and a
 * short comment. Returns how many answers it gave (taps and fields).
 */
export async function answerVisible(page: Page, answered = new Set<string>()): Promise<number> {
	let actions = 0;
	for (;;) {
		const blocks = page.locator('form#survey .question:not([hidden])');
		const ids = await blocks.evaluateAll((els) => els.map((e) => e.id)).catch(() => null);
		// With JavaScript off, evaluateAll is unavailable: read ids from the server-rendered HTML.
		const list = ids ?? (await visibleIdsFromHtml(page));
		const todo = list.filter((id) => !answered.has(id));
		if (!todo.length) return actions;
		for (const id of todo) {
			answered.add(id);
			const block = page.locator(`#${id}`);
			const radios = block.locator('input[type=radio]');
			if (await radios.count()) {
				const four = block.locator('input[type=radio][value="4"]');
				await ((await four.count()) ? four : radios.first()).check();
			} else if (await block.locator('input[type=checkbox]').count()) {
				await block.locator('input[type=checkbox]').first().check();
			} else if (await block.locator('input[type=number]').count()) {
				await block.locator('input[type=number]').fill('80');
			} else {
				await block.locator('textarea').fill('Phục vụ tốt, cảm ơn.');
			}
			actions += 1;
		}
	}
}

async function visibleIdsFromHtml(page: Page): Promise<string[]> {
	const html = await page.content();
	return [
		...html.matchAll(/<div class="question[^"]*" id="(q-[a-z0-9_]+)"(?![^>]*\bhidden\b)/g)
	].map((m) => m[1]!);
}

/** Answers, sends, answers any follow-up questions the server reveals, and reaches the thanks page. */
export async function completeSurvey(page: Page) {
	const answered = new Set<string>();
	let actions = await answerVisible(page, answered);
	for (let round = 0; round < 3; round++) {
		await page.locator('button.send').click();
		if (/\/thanks$/.test(new URL(page.url()).pathname)) break;
		// The server showed follow-up questions (JavaScript off): answer them and send again.
		await expect(page.getByRole('status')).toBeVisible();
		actions += await answerVisible(page, answered);
	}
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Cảm ơn|Thank you/);
	return actions;
}
