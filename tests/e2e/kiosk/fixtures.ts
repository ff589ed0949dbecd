import { test as base, expect, request, type APIRequestContext, type Page } from '@playwright/test';
import { KIOSK_ADMIN, KioskServer } from './kiosk-server';

const basePort = Number(process.env.E2E_PORT ?? 4173);

/** An administrator's HTTP session on the kiosk server: touchpoints, pairing codes, counts. */
export class Admin {
	constructor(
		readonly api: APIRequestContext,
		readonly origin: string
	) {}

	private async form(path: string, fields: Record<string, string>) {
		const response = await this.api.post(path, {
			form: fields,
			headers: { origin: this.origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(400);
		return response;
	}

	async kioskTouchpoint(unit: string, survey = 'one-stop-case'): Promise<string> {
		const made = await this.form('/touchpoints?/create', {
			unit,
			survey,
			channel: 'kiosk'
		});
		const code = /created=([\w-]+)/.exec(made.headers().location ?? '')?.[1];
		expect(code, 'touchpoint code').toBeTruthy();
		return code!;
	}

	async pairingCode(touchpoint: string): Promise<string> {
		const page = await this.form(`/touchpoints/${touchpoint}/devices?/pair`, {
			name: `Quầy ${touchpoint}`
		});
		const code = /<code[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/.exec(await page.text())?.[1];
		expect(code, 'pairing code').toBeTruthy();
		return code!;
	}

	async idle(touchpoint: string, idleSeconds: number, idlePolicy: 'discard' | 'submit') {
		await this.form(`/touchpoints/${touchpoint}/devices?/idle`, {
			idleSeconds: String(idleSeconds),
			idlePolicy
		});
	}

	/** Marks a survey's Khmer texts checked by a native speaker, or removes the mark. */
	async reviewKhmer(survey: string, reviewed: boolean) {
		await this.form(`/admin/surveys/${survey}?/${reviewed ? 'reviewed' : 'unreviewed'}`, {});
	}

	async revokeDevice(touchpoint: string) {
		const html = await (await this.api.get(`/touchpoints/${touchpoint}/devices`)).text();
		const id = /name="id" value="([^"]+)"/.exec(html)?.[1];
		expect(id, 'device id').toBeTruthy();
		await this.form(`/touchpoints/${touchpoint}/devices?/revoke`, { id: id! });
	}

	/** Responses stored for the unit between two Viet Nam dates (partial ones are not counted). */
	async stored(unit: string, from = vnDate(-3), to = vnDate(3)): Promise<number> {
		const response = await this.api.get(
			`/api/v1/results?survey=one-stop-case&unit=${unit}&from=${from}&to=${to}`
		);
		expect(response.status()).toBe(200);
		return (await response.json()).responses;
	}
}

/** Today plus some days, as a date in Asia/Ho_Chi_Minh. */
export function vnDate(days = 0): string {
	return new Date(Date.now() + 7 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

export const test = base.extend<
	{ admin: Admin },
	{ kioskServer: KioskServer; adminApi: APIRequestContext }
>({
	kioskServer: [
		// Playwright reads a fixture's dependencies from this pattern: it must stay an object.
		// eslint-disable-next-line no-empty-pattern
		async ({}, use) => {
			const server = new KioskServer(basePort + 11, basePort + 12);
			await server.start();
			await use(server);
			await server.stop();
		},
		{ scope: 'worker', timeout: 180_000 }
	],
	adminApi: [
		async ({ kioskServer }, use) => {
			// Staff reach the server directly: the tablet's network cuts are not theirs.
			const api = await request.newContext({ baseURL: kioskServer.directUrl });
			const login = await api.post('/login', {
				form: KIOSK_ADMIN,
				headers: { origin: kioskServer.url, accept: 'text/html' },
				maxRedirects: 0
			});
			expect(login.status()).toBe(303);
			await use(api);
			await api.dispose();
		},
		{ scope: 'worker' }
	],
	admin: async ({ adminApi, kioskServer }, use) => {
		kioskServer.proxy.setDown(false);
		kioskServer.proxy.faults = [];
		await use(new Admin(adminApi, kioskServer.url));
	},
	// A wall-mounted tablet: portrait, touch only.
	viewport: { width: 800, height: 1280 },
	hasTouch: true,
	isMobile: true
});

export { expect };

/** Pairs the tablet on this page with a new kiosk touchpoint at the unit. */
export async function pairTablet(page: Page, admin: Admin, unit: string, pin = '2468') {
	const touchpoint = await admin.kioskTouchpoint(unit);
	await pairTouchpoint(page, admin, touchpoint, pin);
	return touchpoint;
}

export async function pairTouchpoint(
	page: Page,
	admin: Admin,
	touchpoint: string,
	pin = '2468',
	{ viaQrLink = false } = {}
) {
	const code = await admin.pairingCode(touchpoint);
	if (viaQrLink) {
		// The pairing QR opens the kiosk with the code filled in.
		await page.goto(`${admin.origin}/kiosk?code=${code}`);
		await expect(page.getByLabel('Mã ghép nối')).toHaveValue(code);
	} else {
		await page.goto(`${admin.origin}/kiosk`);
		await page.getByLabel('Mã ghép nối').fill(code.toLowerCase());
	}
	await page.getByLabel('Mã PIN nhân viên (4–8 chữ số)').fill(pin);
	await page.getByLabel('Nhập lại mã PIN').fill(pin);
	await page.getByRole('button', { name: 'Ghép nối' }).tap();
	await expect(page.getByRole('heading', { name: 'Mời Ông/Bà đánh giá' })).toBeVisible();
	await expect(page).toHaveURL(/\/kiosk$/);
}

/** One citizen: the required first question, then skip to the end and send. */
export async function answerOne(page: Page, level = 'Hài lòng') {
	await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
	await expect(page.getByText('Câu 1/5')).toBeVisible();
	await page.getByRole('button', { name: level, exact: true }).tap();
	for (const n of [2, 3, 4]) {
		await expect(page.getByText(`Câu ${n}/5`)).toBeVisible();
		await page.getByRole('button', { name: 'Bỏ qua' }).tap();
	}
	await expect(page.getByText('Câu 5/5')).toBeVisible();
	await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
	await expect(page.getByRole('heading', { name: 'Cảm ơn Ông/Bà!' })).toBeVisible();
}

/** The staff panel, through the hidden corner: five taps top left, then the PIN. */
export async function openStaffPanel(page: Page, pin = '2468') {
	const pinField = page.getByLabel('Mã PIN nhân viên', { exact: true });
	// As staff do: if the screen missed a tap, tap the corner five times again.
	await expect(async () => {
		for (let i = 0; i < 5; i++) await page.touchscreen.tap(20, 20);
		await expect(pinField).toBeVisible({ timeout: 2000 });
	}).toPass({ timeout: 15_000 });
	await pinField.fill(pin);
	await page.getByRole('button', { name: 'Mở' }).tap();
	await expect(page.getByRole('heading', { name: 'Bảng quản lý kiosk' })).toBeVisible();
}
