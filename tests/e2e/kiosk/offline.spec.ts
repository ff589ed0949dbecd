import { answerOne, expect, openStaffPanel, pairTablet, test } from './fixtures';

const welcome = { name: 'Mời Ông/Bà đánh giá' };

test('twenty citizens answer offline, the tablet reloads offline, and back online exactly twenty are stored', async ({
	page,
	admin,
	kioskServer
}) => {
	test.setTimeout(120_000);
	const unit = 'AG.LX.BK';
	await page.clock.install();
	await pairTablet(page, admin, unit);
	// The service worker has the shell once it controls the page.
	await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
	kioskServer.proxy.setDown(true);
	const before = kioskServer.proxy.posted.length;
	for (let i = 0; i < 20; i++) {
		await answerOne(page, i % 2 ? 'Hài lòng' : 'Không hài lòng');
		await page.clock.runFor(5_000);
		await expect(page.getByRole('heading', welcome)).toBeVisible();
	}
	await page.reload();
	await expect(page.getByRole('heading', welcome)).toBeVisible();
	await openStaffPanel(page);
	await expect(page.getByTestId('queue-length')).toHaveText('20');
	await expect(page.getByText('Mất mạng')).toBeVisible();
	expect(await admin.stored(unit)).toBe(0);

	kioskServer.proxy.setDown(false);
	await page.getByRole('button', { name: 'Gửi ngay' }).tap();
	await expect.poll(() => admin.stored(unit), { timeout: 30_000 }).toBe(20);
	await expect(page.getByTestId('queue-length')).toHaveText('0', { timeout: 10_000 });
	const reached = kioskServer.proxy.posted.slice(before).filter((p) => p.upstream !== null);
	expect(reached.map((p) => p.upstream)).toEqual(Array(20).fill(201));
	expect(new Set(reached.map((p) => p.id)).size).toBe(20);
});

test('a server answering 500 for a while: the answer is retried with back-off and stored once', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MB';
	await pairTablet(page, admin, unit);
	kioskServer.proxy.faults = ['status500', 'status500', 'status500'];
	const before = kioskServer.proxy.posted.length;
	await answerOne(page);
	await expect
		.poll(() => kioskServer.proxy.posted.slice(before).map((p) => p.seen), { timeout: 30_000 })
		.toEqual([500, 500, 500, 201]);
	const [id] = new Set(kioskServer.proxy.posted.slice(before).map((p) => p.id));
	expect(kioskServer.proxy.stored(id!)).toHaveLength(4);
	expect(await admin.stored(unit)).toBe(1);
});

test('stored but the connection cut before the answer reached the tablet: sent again, stored once', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MH';
	await pairTablet(page, admin, unit);
	kioskServer.proxy.faults = ['cutAfterCommit'];
	const before = kioskServer.proxy.posted.length;
	await answerOne(page);
	await expect
		.poll(
			() =>
				kioskServer.proxy.posted
					.slice(before)
					.map((p) => [p.upstream, p.seen] as [unknown, unknown]),
			{ timeout: 30_000 }
		)
		.toEqual([
			[201, 'cut'],
			[200, 200]
		]);
	expect(await admin.stored(unit)).toBe(1);
});

test('an answer the server refuses goes to the dead letters and stays visible to staff', async ({
	page,
	admin,
	kioskServer
}) => {
	const unit = 'AG.LX.MP';
	await pairTablet(page, admin, unit);
	kioskServer.proxy.faults = ['status422'];
	await answerOne(page);
	await expect.poll(() => kioskServer.proxy.posted.at(-1)?.seen).toBe(422);
	await page.reload();
	await openStaffPanel(page);
	const letters = page.getByTestId('dead-letters');
	await expect(letters).toContainText('HTTP 422');
	await expect(letters).toContainText('Lỗi giả lập 422');
	await expect(page.getByTestId('queue-length')).toHaveText('0');
	// Staff can send it again once the cause is fixed; the server then stores it once.
	await page.getByRole('button', { name: 'Gửi lại các phiếu bị từ chối' }).tap();
	await expect.poll(() => admin.stored(unit), { timeout: 15_000 }).toBe(1);
	await expect(page.getByText('Không có phiếu nào bị từ chối.')).toBeVisible({ timeout: 10_000 });
});
