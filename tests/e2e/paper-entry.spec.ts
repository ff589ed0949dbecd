import { expect, test, type Page } from '@playwright/test';
import { dashboardCount, signIn } from './helpers';

const SURVEY = 'sipas-one-stop';
const UNIT = 'AG.TTHCC';

interface Question {
	id: string;
	type: string;
	allowNA?: boolean;
	options?: unknown[];
}

/** The questions of the survey in form order, as the public API serves the definition. */
async function questionsOf(page: Page): Promise<Question[]> {
	const response = await page.request.get(`/api/v1/surveys/${SURVEY}`);
	expect(response.status()).toBe(200);
	const def: { sections: { questions: Question[] }[] } = await response.json();
	return def.sections.flatMap((s) => s.questions);
}

/** What a clerk types for each question: N on scales that allow it, 5 on the others, option 1. */
function typed(q: Question): string {
	if (q.type === 'likert5' || q.type === 'rating3') return q.allowNA ? 'N' : '5';
	if (q.type === 'choice') return '1';
	if (q.type === 'percent') return '80';
	return 'Phiếu giấy, nhập bằng bàn phím';
}

/** Answers to `overall` by level, and N/A answers to `proc_fees`, at the unit this quarter. */
async function tallies(page: Page) {
	const vn = new Date(Date.now() + 7 * 3600_000);
	const quarter = `${vn.getUTCFullYear()}-Q${Math.floor(vn.getUTCMonth() / 3) + 1}`;
	const response = await page.request.get(
		`/api/v1/results?survey=${SURVEY}&unit=${UNIT}&period=${quarter}`
	);
	expect(response.status()).toBe(200);
	const body: { questions: { id: string; distribution: Record<string, number> | null }[] } =
		await response.json();
	const of = (id: string) => body.questions.find((q) => q.id === id)?.distribution ?? {};
	return { overall5: of('overall')['5'] ?? 0, feesNA: of('proc_fees')['NA'] ?? 0 };
}

async function openForm(page: Page) {
	await page.goto('/entry');
	await page.getByLabel('Phiếu khảo sát').selectOption(SURVEY);
	await page.getByLabel('Đơn vị').selectOption(UNIT);
	await page.getByRole('button', { name: 'Mở mẫu nhập' }).click();
	await expect(page).toHaveURL(new RegExp(`/entry/${SURVEY}/${UNIT}$`));
	// Keys typed before the form takes focus would land on the page, not the serial field.
	await expect(page.getByLabel('Số phiếu', { exact: true })).toBeFocused();
}

test('paper entry: a clerk keys in a whole questionnaire with the keyboard alone (type, Tab, Enter) and it is counted', async ({
	page
}) => {
	await signIn(page);
	const questions = await questionsOf(page);
	const before = await dashboardCount(page, SURVEY);
	const tallyBefore = await tallies(page);
	const serial = `E2E-${test.info().project.name}-${Date.now()}`;

	await openForm(page);
	const serialField = page.getByLabel('Số phiếu', { exact: true });
	await page.keyboard.type(serial);
	await page.keyboard.press('Tab'); // the date: today is already there
	await expect(page.getByLabel('Ngày ghi trên phiếu')).toBeFocused();
	for (const q of questions) {
		await page.keyboard.press('Tab');
		await expect(page.locator(`#q-${q.id}`)).toBeFocused();
		await page.keyboard.type(typed(q));
	}
	await page.keyboard.press('Enter');

	await expect(page.getByRole('status')).toHaveText(`Đã lưu phiếu số ${serial}.`);
	await expect(serialField).toBeFocused();
	await expect(serialField).toHaveValue('');
	for (const q of questions) await expect(page.locator(`#q-${q.id}`)).toHaveValue('');

	expect(await dashboardCount(page, SURVEY)).toBe(before + 1);
	expect(await tallies(page)).toEqual({
		overall5: tallyBefore.overall5 + 1,
		feesNA: tallyBefore.feesNA + 1
	});
});

test('paper entry: a value off the scale is refused with a linked summary, the typed values kept and nothing stored', async ({
	page
}) => {
	await signIn(page);
	const before = await dashboardCount(page, SURVEY);
	const serial = `E2E-BAD-${test.info().project.name}-${Date.now()}`;

	await openForm(page);
	await page.keyboard.type(serial);
	await page.keyboard.press('Tab');
	await page.keyboard.press('Tab');
	await page.keyboard.type('7'); // the first question is on a 1–5 scale
	await page.keyboard.press('Enter');

	const summary = page.getByRole('alert');
	await expect(summary).toContainText('Phiếu chưa được lưu');
	await expect(summary.getByRole('link', { name: /Nhập một chữ số từ 1 đến 5/ })).toHaveAttribute(
		'href',
		'#q-access_seats'
	);
	// The required overall rating was left blank: listed too.
	await expect(summary.getByRole('link', { name: /Câu bắt buộc/ })).toHaveAttribute(
		'href',
		'#q-overall'
	);
	await expect(page.locator('#q-access_seats')).toHaveValue('7');
	await expect(page.locator('#q-access_seats')).toBeFocused();
	await expect(page.getByLabel('Số phiếu', { exact: true })).toHaveValue(serial);

	expect(await dashboardCount(page, SURVEY)).toBe(before);
});
