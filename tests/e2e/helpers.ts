import { expect, type Browser, type Page } from '@playwright/test';
import { E2E_ADMIN } from '../../playwright.config';

export async function signIn(page: Page) {
	await page.goto('/login');
	await page.getByLabel('Thư điện tử').fill(E2E_ADMIN.email);
	await page.getByLabel('Mật khẩu').fill(E2E_ADMIN.password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page).toHaveURL(/\/dashboard/);
}

/** The QR touchpoint the demo seed made for a survey, read through the staff API. */
export async function qrCode(page: Page, survey: string): Promise<string> {
	const response = await page.request.get('/api/v1/touchpoints');
	expect(response.status()).toBe(200);
	const list: { code: string; survey: string; channel: string; unit: string }[] =
		await response.json();
	const found = list.find(
		(t) => t.survey === survey && t.channel === 'qr' && t.unit === 'AG.TTHCC'
	);
	expect(found).toBeTruthy();
	return found!.code;
}

/** The number of responses the dashboard shows for a survey at the demo unit this quarter. */
export async function dashboardCount(page: Page, survey: string): Promise<number> {
	await page.goto(`/dashboard?survey=${survey}&unit=AG.TTHCC`);
	return Number(await page.getByTestId('responses').textContent());
}

/** Picks a level in the scale question whose text matches. */
export async function rate(page: Page, question: RegExp, level: string) {
	await page
		.getByRole('group', { name: question })
		.getByRole('radio', { name: level, exact: true })
		.check();
}

/**
 * A citizen's complaint through the demo QR link, from a phone with no staff session: low
 * ratings, a comment and consented contact details, which open a follow-up case.
 */
export async function complain(browser: Browser, code: string, comment: string) {
	const citizen = await browser.newPage();
	await citizen.goto(`/s/${code}`);
	await rate(citizen, /Công chức có thái độ giao tiếp lịch sự/, 'Rất không hài lòng');
	await rate(citizen, /Nhìn chung/, 'Không hài lòng');
	await citizen.getByRole('textbox', { name: /góp ý/ }).fill(comment);
	await citizen.getByRole('textbox', { name: 'Họ và tên' }).fill('Lê Văn C');
	await citizen.getByRole('textbox', { name: 'Số điện thoại' }).fill('0911222333');
	await citizen.getByRole('checkbox', { name: /Tôi đồng ý cung cấp/ }).check();
	await citizen.getByRole('button', { name: 'Gửi đánh giá' }).click();
	await expect(citizen.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
	await citizen.close();
}
