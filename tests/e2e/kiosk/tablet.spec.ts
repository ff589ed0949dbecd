import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import {
	answerOne,
	expect,
	openStaffPanel,
	pairTablet,
	pairTouchpoint,
	test,
	vnDate
} from './fixtures';

const welcome = { name: 'Mời Ông/Bà đánh giá' };
const idlePrompt = { name: 'Ông/Bà có muốn tiếp tục?' };
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

test('a citizen who walks away: asked whether to continue, then the survey is cleared', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.ML';
	const touchpoint = await admin.kioskTouchpoint(unit);
	await admin.idle(touchpoint, 10, 'discard');
	await page.clock.install();
	await pairTouchpoint(page, admin, touchpoint);
	await openStaffPanel(page);
	await expect(page.getByTestId('idle')).toContainText('sau 10 giây không chạm: xóa phiếu');
	await page.getByRole('button', { name: 'Quay lại khảo sát' }).tap();

	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await page.getByRole('button', { name: 'Hài lòng', exact: true }).tap();
	await page.clock.runFor(11_000);
	await expect(page.getByRole('alertdialog', idlePrompt)).toBeVisible();
	// A touch keeps the citizen's answers.
	await page.getByRole('button', { name: 'Tiếp tục đánh giá' }).tap();
	await expect(page.getByRole('alertdialog', idlePrompt)).toHaveCount(0);
	await expect(page.getByText('Câu 2/5')).toBeVisible();
	// Nobody answers the question: after the countdown the tablet is ready for the next person.
	await page.clock.runFor(11_000);
	// The 15-second countdown has begun (the installed clock also runs in real time, so which
	// second it shows depends on the machine's speed).
	await expect(page.getByRole('alertdialog', idlePrompt)).toContainText(/sau 1[0-5] giây/);
	await page.clock.runFor(16_000);
	await expect(page.getByRole('heading', welcome)).toBeVisible();
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await expect(page.getByRole('button', { name: 'Hài lòng', exact: true })).toHaveAttribute(
		'aria-pressed',
		'false'
	);
	expect(kioskServer.proxy.posted.filter((p) => p.body?.touchpoint === touchpoint)).toEqual([]);
});

test('with "submit what was answered", a walked-away survey is sent once, flagged partial', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MQ';
	const touchpoint = await admin.kioskTouchpoint(unit);
	await admin.idle(touchpoint, 10, 'submit');
	await page.clock.install();
	await pairTouchpoint(page, admin, touchpoint);
	await openStaffPanel(page);
	await expect(page.getByTestId('idle')).toContainText('gửi các câu đã trả lời');
	await page.getByRole('button', { name: 'Quay lại khảo sát' }).tap();
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await page.getByRole('button', { name: 'Rất hài lòng', exact: true }).tap();
	await page.clock.runFor(11_000);
	await expect(page.getByRole('alertdialog', idlePrompt)).toContainText('sẽ được gửi');
	await page.clock.runFor(16_000);
	await expect(page.getByRole('heading', welcome)).toBeVisible();
	await expect
		.poll(() => kioskServer.proxy.posted.filter((p) => p.body?.touchpoint === touchpoint))
		.toMatchObject([{ upstream: 201, body: { partial: true, answers: { case_overall: 3 } } }]);
	// Partial answers are kept but left out of the results.
	expect(await admin.stored(unit)).toBe(0);
});

test('a revoked tablet stops at once, keeps what it holds, and sends it after staff pair it again', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MTH';
	const touchpoint = await pairTablet(page, admin, unit);
	// An answer waits on the tablet (offline) while an administrator revokes it.
	kioskServer.proxy.setDown(true);
	await answerOne(page);
	await admin.revokeDevice(touchpoint);
	kioskServer.proxy.setDown(false);
	// Whichever reaches the server first, the waiting answer or the heartbeat, is refused: stop.
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Thiết bị đã bị thu hồi' })).toBeVisible({
		timeout: 15_000
	});
	await expect(page.getByRole('alert')).toContainText('(1 phiếu)');
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Thiết bị đã bị thu hồi' })).toBeVisible();
	expect(await admin.stored(unit)).toBe(0);

	await openStaffPanel(page);
	await expect(page.getByTestId('queue-length')).toHaveText('1');
	await page.getByRole('button', { name: 'Ghép nối lại thiết bị' }).tap();
	await pairTouchpoint(page, admin, touchpoint, '1357', { viaQrLink: true });
	await expect.poll(() => admin.stored(unit), { timeout: 15_000 }).toBe(1);
});

test("a kiosk whose clock runs two days ahead still files answers under today's date", async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MT';
	await page.clock.install({ time: Date.now() + 2 * 86_400_000 });
	await pairTablet(page, admin, unit);
	await answerOne(page);
	await expect.poll(() => admin.stored(unit, vnDate(0), vnDate(0)), { timeout: 15_000 }).toBe(1);
	const sent = kioskServer.proxy.posted.at(-1)!.body!;
	expect(Math.abs(Date.parse(String(sent.answeredAt)) - Date.now())).toBeLessThan(60_000);
});

test('a tablet that cannot store answers stops taking them and says so', async ({
	page,
	admin
}) => {
	const unit = 'AG.LX.MX';
	await pairTablet(page, admin, unit);
	await page.evaluate(() => {
		IDBObjectStore.prototype.add = () => {
			throw new DOMException('Bộ nhớ đầy', 'QuotaExceededError');
		};
	});
	await answerOne(page).catch(() => {});
	await expect(page.getByRole('heading', { name: 'Máy không lưu được câu trả lời' })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Chạm để đánh giá' })).toHaveCount(0);
	// The citizen who met the full storage was not lost: sent straight to the server.
	await expect.poll(() => admin.stored(unit)).toBe(1);
});

test('kiosk screens pass axe (WCAG 2.2 AA) and leave no link out', async ({ page, admin }) => {
	const check = async (what: string) => {
		const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
		expect(result.violations, what).toEqual([]);
		await expect(page.locator('a[href]'), what).toHaveCount(0);
	};
	await page.clock.install();
	await page.goto(`${admin.origin}/kiosk`);
	await expect(page.getByRole('heading', { name: 'Ghép nối máy tính bảng' })).toBeVisible();
	await check('pairing');
	const touchpoint = await admin.kioskTouchpoint('AG.LX.MHH');
	await admin.idle(touchpoint, 10, 'discard');
	await pairTouchpoint(page, admin, touchpoint);
	await check('welcome');
	await page.getByRole('button', { name: 'English — Touch to rate' }).tap();
	await expect(page.locator('.kiosk')).toHaveAttribute('lang', 'en');
	await check('question in English');
	await page.getByRole('button', { name: 'Satisfied', exact: true }).tap();
	await page.getByRole('button', { name: 'Back' }).tap();
	await page.clock.runFor(11_000);
	await expect(page.getByRole('alertdialog')).toBeVisible();
	await check('idle prompt');
	await page.getByRole('button', { name: 'Continue', exact: true }).tap();
	for (let i = 0; i < 4; i++) await page.getByRole('button', { name: /^(Next|Skip)$/ }).tap();
	await page.getByRole('button', { name: 'Send' }).tap();
	await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible();
	await check('thanks');
	await openStaffPanel(page);
	await check('staff panel');
});

test('a new survey version is picked up between respondents; the one answering finishes on theirs', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MK';
	const touchpoint = await admin.kioskTouchpoint(unit);
	await admin.idle(touchpoint, 600, 'discard');
	await page.clock.install();
	await pairTouchpoint(page, admin, touchpoint);
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await page.getByRole('button', { name: 'Hài lòng', exact: true }).tap();

	const v1 = JSON.parse(readFileSync('survey-definitions/one-stop-case.json', 'utf8'));
	const v2 = structuredClone(v1);
	v2.version = v1.version + 1;
	v2.sections[0].questions[0].text.vi = 'Phiên bản mới: Ông/Bà hài lòng với việc giải quyết hồ sơ?';
	await kioskServer.restartWith('one-stop-case.json', v2);
	// The minute's heartbeat tells the tablet; the citizen on it carries on with version 1.
	await page.clock.runFor(61_000);
	await expect(page.getByText('Câu 2/5')).toBeVisible();
	for (const _ of [3, 4, 5]) await page.getByRole('button', { name: 'Bỏ qua' }).tap();
	await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
	await page.clock.runFor(5_000);
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		v2.sections[0].questions[0].text.vi
	);
	await page.getByRole('button', { name: 'Rất hài lòng', exact: true }).tap();
	for (const _ of [2, 3, 4]) await page.getByRole('button', { name: 'Bỏ qua' }).tap();
	await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
	await expect
		.poll(() =>
			kioskServer.proxy.posted
				.filter((p) => p.body?.touchpoint === touchpoint)
				.map((p) => [p.body?.version, p.upstream])
		)
		.toEqual([
			[v1.version, 201],
			[v2.version, 201]
		]);
	expect(await admin.stored(unit)).toBe(2);
});
