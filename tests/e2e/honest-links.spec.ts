import { expect, test } from '@playwright/test';
import { dashboardCount, qrCode, rate, signIn } from './helpers';

const SIPAS = 'sipas-one-stop';

test('a receipt token admits exactly one response and says so politely afterwards', async ({
	page,
	browser,
	baseURL
}) => {
	await signIn(page);
	const code = await qrCode(page, SIPAS);
	await page.goto(`/touchpoints/${code}/tokens`);
	await page.getByLabel('Số mã cần tạo').fill('2');
	await page.getByRole('button', { name: 'Tạo mã' }).click();
	await expect(page.locator('.card')).toHaveCount(2);
	const csv = await (await page.request.get(`${new URL(page.url()).pathname}/tokens.csv`)).text();
	const [header, ...rows] = csv
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\r\n');
	expect(header).toBe('token,url,used_at');
	const links = rows.map((row) => row.split(',')[1]!.replace(baseURL!, ''));
	expect(links).toHaveLength(2);

	const first = await browser.newPage();
	await first.goto(links[0]!);
	await rate(first, /Nhìn chung/, 'Rất hài lòng');
	await first.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(first.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await first.goto(links[0]!);
	await expect(first.getByRole('status')).toContainText('đã được gửi');
	await expect(first.getByRole('button', { name: 'Gửi đánh giá' })).toHaveCount(0);

	// Two tabs opened on the same slip: the second answer is refused, kindly.
	const tabA = await browser.newPage();
	const tabB = await browser.newPage();
	await tabA.goto(links[1]!);
	await tabB.goto(links[1]!);
	await rate(tabA, /Nhìn chung/, 'Hài lòng');
	await rate(tabB, /Nhìn chung/, 'Bình thường');
	await tabA.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(tabA.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await tabB.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(tabB.getByRole('status')).toContainText('mỗi giấy hẹn chỉ dùng được một lần');
	await expect(tabB.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toHaveCount(0);

	await page.reload();
	await expect(page.locator('.card.used')).toHaveCount(2);
	for (const p of [first, tabA, tabB]) await p.close();
});

test('a filled honeypot gets a thank-you page but nothing is stored', async ({ page, baseURL }) => {
	await signIn(page);
	const code = await qrCode(page, SIPAS);
	const before = await dashboardCount(page, SIPAS);
	const response = await page.request.post(`/s/${code}`, {
		form: { overall: '5', staff_polite: '5', _website: 'http://cheap-pills.example' },
		headers: { origin: baseURL!, accept: 'text/html' }
	});
	expect(response.status()).toBe(200);
	expect(await response.text()).toContain('Cảm ơn Ông/Bà!');
	expect(await dashboardCount(page, SIPAS)).toBe(before);
});

test('a follow-up question appears for the right respondents, with or without JavaScript', async ({
	page,
	browser
}, info) => {
	await signIn(page);
	const code = await qrCode(page, 'education-school');
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	const parentsOnly = citizen.getByRole('group', { name: /Cha mẹ học sinh dễ dàng liên hệ/ });
	const studentsOnly = citizen.getByRole('group', { name: /Em được khuyến khích phát biểu/ });
	await expect(parentsOnly).toBeHidden();
	await citizen.getByRole('radio', { name: 'Cha mẹ (hoặc người giám hộ) học sinh' }).check();
	if (info.project.name === 'js-off') {
		await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
		await expect(citizen.getByRole('status')).toContainText('có thêm câu hỏi vừa hiện ra');
	}
	await expect(parentsOnly).toBeVisible();
	await expect(studentsOnly).toBeHidden();
	await expect(
		citizen.getByRole('radio', { name: 'Cha mẹ (hoặc người giám hộ) học sinh' })
	).toBeChecked();
	await citizen.close();
});

test('answers survive a language switch and a text-size switch', async ({ page, browser }) => {
	await signIn(page);
	const code = await qrCode(page, SIPAS);
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}?lang=vi`);
	await rate(citizen, /Công chức có thái độ giao tiếp lịch sự/, 'Rất hài lòng');
	await citizen.getByRole('textbox', { name: /góp ý/ }).fill('Giữ nguyên sau khi đổi ngôn ngữ');
	await citizen.getByRole('button', { name: 'English' }).click();
	await expect(citizen.locator('html')).toHaveAttribute('lang', 'en');
	await expect(
		citizen
			.getByRole('group', { name: /communicated politely/ })
			.getByRole('radio', { name: 'Very satisfied', exact: true })
	).toBeChecked();
	await citizen.getByRole('button', { name: 'Larger text, high contrast' }).click();
	await expect(citizen.getByRole('textbox', { name: /suggestions/ })).toHaveValue(
		'Giữ nguyên sau khi đổi ngôn ngữ'
	);
	await citizen.getByRole('button', { name: 'Normal text' }).click();
	await citizen.getByRole('button', { name: 'Tiếng Việt' }).click();
	await citizen.close();
});

test('script in an answer is shown as text and never runs', async ({ page, browser }) => {
	await signIn(page);
	const code = await qrCode(page, SIPAS);
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	const payload = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>';
	await citizen.getByRole('textbox', { name: /góp ý/ }).fill(payload);
	await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click(); // "overall" missing: the page comes back
	await expect(citizen.getByRole('alert')).toBeVisible();
	await expect(citizen.getByRole('textbox', { name: /góp ý/ })).toHaveValue(payload);
	expect(await citizen.locator('img[src="x"]').count()).toBe(0);
	await citizen.close();
});

test('an oversized or overlong answer is refused with a message, and nothing is stored', async ({
	page,
	baseURL
}) => {
	await signIn(page);
	const code = await qrCode(page, SIPAS);
	const before = await dashboardCount(page, SIPAS);
	const headers = { origin: baseURL!, accept: 'text/html' };
	const huge = await page.request.post(`/s/${code}`, {
		form: { overall: '5', comment: 'x'.repeat(600_000) },
		headers
	});
	expect(huge.status()).toBe(413);
	const long = await page.request.post(`/s/${code}`, {
		form: { overall: '5', comment: 'x'.repeat(100_000) },
		headers
	});
	expect(long.status()).toBe(422);
	expect(await long.text()).toContain('Câu trả lời dài quá 1000 ký tự');
	expect(await dashboardCount(page, SIPAS)).toBe(before);
});
