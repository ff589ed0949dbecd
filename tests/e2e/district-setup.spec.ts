import { expect, request, test } from '@playwright/test';
import { signIn } from './helpers';

// The finish line: an administrator sets up a new district's counters, kiosk, QR poster
// and people in one sitting, and the district's manager then sees exactly their part.
test('an administrator sets up a district in one sitting; its manager sees only that district', async ({
	page,
	browser
}, info) => {
	const suffix = `${info.project.name === 'js-off' ? 'N' : 'J'}${Date.now().toString(36).toUpperCase()}`;
	const unit = `AG.T${suffix}`;
	const unitName = `Huyện Thử Nghiệm ${suffix}`;
	await signIn(page);

	// 1. The unit.
	await page.goto('/admin/units');
	await page.locator('#parent').selectOption('AG');
	await page.locator('#code').fill(unit);
	await page.locator('#kind').fill('district');
	await page.locator('#nameVi').fill(unitName);
	await page.locator('#nameEn').fill(`Test District ${suffix}`);
	await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
	// The redirect first: a refused form would stay on the page with its errors shown.
	await expect(page).toHaveURL(/[?&]saved=/);
	await expect(page.getByRole('status')).toContainText(unit);

	// 2. A QR touchpoint and its poster.
	await page.goto('/touchpoints');
	await page.locator('#unit').selectOption(unit);
	await page.locator('#survey').selectOption('sipas-one-stop');
	await page.getByRole('button', { name: 'Tạo điểm khảo sát' }).click();
	const qrRow = page.getByRole('row').filter({ hasText: `(${unit})` });
	await expect(qrRow).toHaveCount(1);
	await qrRow.getByRole('link', { name: /Áp phích/ }).click();
	await expect(page).toHaveURL(/\/poster/);
	await expect(page.getByRole('heading', { name: unitName })).toBeVisible();
	await expect(page.locator('svg').first()).toBeVisible();

	// 3. A kiosk touchpoint, one tablet paired with the code shown once.
	await page.goto('/touchpoints');
	await page.locator('#unit').selectOption(unit);
	await page.locator('#survey').selectOption('one-stop-case');
	await page.locator('input[name="channel"][value="kiosk"]').check();
	await page.getByRole('button', { name: 'Tạo điểm khảo sát' }).click();
	const kioskRow = page
		.getByRole('row')
		.filter({ hasText: `(${unit})` })
		.filter({ hasText: 'kiosk' });
	await kioskRow.getByRole('link', { name: /Thiết bị/ }).click();
	await expect(page).toHaveURL(/\/devices/);
	await page.locator('#pair-name').fill('Quầy 1 — tầng trệt');
	await page.getByRole('button', { name: 'Tạo mã ghép nối' }).click();
	const pairingCode = (await page.locator('.big code').textContent())!.trim();
	// The tablet has no session: it pairs with the code alone.
	const tablet = await request.newContext({ baseURL: info.project.use.baseURL });
	const paired = await tablet.post('/api/v1/devices/pair', { data: { code: pairingCode } });
	expect(paired.status()).toBe(201);
	expect((await paired.json()).token).toMatch(/^dv_/);
	await tablet.dispose();

	// 4. The district's manager, with a temporary password.
	const email = `quanly.${suffix.toLowerCase()}@angiang.gov.vn`;
	await page.goto('/admin/users/new');
	await page.locator('#email').fill(email);
	await page.locator('#name').fill('Nguyễn Thị Quản Lý');
	await page.locator('#role').selectOption('manager');
	await page.locator('#unit').selectOption(unit);
	await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
	const temporary = await page.locator('#temporary-password').inputValue();
	expect(temporary.length).toBeGreaterThanOrEqual(12);

	// 5. The manager signs in, must choose a password, then sees the district and nothing else.
	const context = await browser.newContext({ javaScriptEnabled: info.project.name !== 'js-off' });
	const manager = await context.newPage();
	await manager.goto('/login');
	await manager.getByLabel('Thư điện tử').fill(email);
	await manager.getByLabel('Mật khẩu').fill(temporary);
	await manager.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(manager).toHaveURL(/\/account\/password/);
	const chosen = 'một câu dài dễ nhớ của quản lý';
	await manager.locator('input[name="current"]').fill(temporary);
	await manager.locator('input[name="password"]').fill(chosen);
	await manager.locator('input[name="confirm"]').fill(chosen);
	await manager.getByRole('button', { name: 'Đổi mật khẩu' }).click();
	await manager.goto('/touchpoints');
	const rows = manager.getByRole('row').filter({ has: manager.getByRole('cell') });
	await expect(rows).toHaveCount(2);
	await expect(manager.getByText('(AG.TTHCC)')).toHaveCount(0);
	const nav = manager.getByRole('navigation');
	await expect(nav.getByRole('link', { name: 'Người dùng' })).toHaveCount(0);
	expect((await manager.goto('/admin/users'))!.status()).toBe(404);
	expect((await manager.goto('/dashboard?unit=AG.TTHCC'))!.status()).toBe(404);
	await manager.goto('/dashboard');
	await expect(manager.locator('select[name="unit"] option')).toHaveCount(1);
	await context.close();

	// 6. Every step is in the audit log.
	await page.goto(`/admin/audit?actor=${encodeURIComponent(email)}`);
	await expect(page.getByRole('cell', { name: 'password_changed' })).toBeVisible();
	await page.goto('/admin/audit');
	for (const act of [
		'unit_created',
		'touchpoint_created',
		'device_created',
		'device_paired',
		'user_created'
	]) {
		await expect(page.getByRole('cell', { name: act, exact: true }).first(), act).toBeVisible();
	}
});
