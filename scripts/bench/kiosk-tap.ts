import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { type Database, sql } from '$lib/server/db';
import { devices } from '$lib/server/touchpoints';
import * as touchpoints from '$lib/server/touchpoints';

export interface Spread {
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
}

export interface TapTimes {
	taps: number;
	/** From the click's dispatch, when the page gets the tap, to after the next paint. */
	fromClick: Spread;
	/** From the finger's pointerup (the event's own timestamp), which adds input delivery. */
	fromPointerup: Spread;
}

export interface KioskTap extends TapTimes {
	cpuThrottle: number;
	/** The same timing on a page with one button and one handler: the floor of the method. */
	barePage: TapTimes;
}

const THROTTLE = 4;
const RESPONDENTS = 20;
const SURVEY = 'one-stop-case';
const PIN = '2468';

declare global {
	interface Window {
		__tapDone?: Promise<[number, number]>;
	}
}

/** A kiosk touchpoint and a fresh pairing code, made straight in the database. */
async function pairingCode(db: Database): Promise<string> {
	const code = await touchpoints.create(db, {
		surveyId: SURVEY,
		unitCode: 'AG.TTHCC',
		channel: 'kiosk'
	});
	const [tp] = await db.query<{ id: number }>(sql`select id from touchpoints where code = ${code}`);
	const made = await devices.create(db, {
		touchpointId: tp!.id,
		name: 'bench',
		createdBy: 'bench'
	});
	return made.code;
}

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function spread(times: number[]): Spread {
	const sorted = [...times].sort((a, b) => a - b);
	return {
		p50Ms: percentile(sorted, 50),
		p95Ms: percentile(sorted, 95),
		maxMs: sorted.at(-1)!
	};
}

function summary(times: [number, number][]): TapTimes {
	return {
		taps: times.length,
		fromClick: spread(times.map((t) => t[0])),
		fromPointerup: spread(times.map((t) => t[1]))
	};
}

/**
 * One tap, timed in the page to the first task after the next animation frame, i.e. after the
 * paint that shows the next question: from the click's dispatch, and from the pointerup.
 */
async function timed(
	page: Page,
	tap: () => Promise<void>,
	next: string
): Promise<[number, number]> {
	await page.evaluate(() => {
		window.__tapDone = new Promise((resolve) => {
			let up = 0;
			addEventListener('pointerup', (e) => (up = e.timeStamp), { capture: true, once: true });
			addEventListener(
				'click',
				() => {
					const click = performance.now();
					requestAnimationFrame(() =>
						setTimeout(() => {
							const painted = performance.now();
							resolve([painted - click, painted - up]);
						})
					);
				},
				{ capture: true, once: true }
			);
		});
	});
	await tap();
	const ms = await page.evaluate(() => window.__tapDone!);
	await page.getByText(next, { exact: true }).waitFor();
	return ms;
}

/**
 * Input reaches a throttled page late whatever the page does: a button whose handler only
 * changes a number, timed the same way, shows how much of the kiosk's figure is the method's.
 */
async function barePage(context: BrowserContext, taps: number): Promise<TapTimes> {
	const page = await context.newPage();
	await page.setContent(
		'<meta name="viewport" content="width=device-width"><button style="font-size:2rem;width:100%;height:6rem">Tap</button><h1>0</h1>'
	);
	await page.evaluate(() => {
		const h1 = document.querySelector('h1')!;
		document.querySelector('button')!.onclick = () => {
			h1.textContent = String(Number(h1.textContent) + 1);
		};
	});
	const cdp = await context.newCDPSession(page);
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
	const times: [number, number][] = [];
	for (let i = 1; i <= taps; i++) {
		times.push(await timed(page, () => page.getByRole('button').tap(), String(i)));
	}
	await page.close();
	return summary(times);
}

/**
 * Time from a tap on an answer to the next question painted, in Chromium on a tablet viewport
 * with the CPU slowed 4× (DevTools' throttling). Each tap is timed in the page: from the
 * finger's pointerup to the first task after the next animation frame, i.e. after that paint.
 */
export async function measureKioskTap(serverUrl: string, db: Database): Promise<KioskTap> {
	const code = await pairingCode(db);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
	});
	try {
		const context = await browser.newContext({
			viewport: { width: 800, height: 1280 },
			hasTouch: true,
			isMobile: true
		});
		const page = await context.newPage();
		await page.goto(`${serverUrl}/kiosk`);
		await page.getByLabel('Mã ghép nối').fill(code);
		await page.getByLabel('Mã PIN nhân viên (4–8 chữ số)').fill(PIN);
		await page.getByLabel('Nhập lại mã PIN').fill(PIN);
		await page.getByRole('button', { name: 'Ghép nối' }).tap();
		await page.getByRole('heading', { name: 'Mời Ông/Bà đánh giá' }).waitFor();
		const cdp = await context.newCDPSession(page);
		await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });

		const times: [number, number][] = [];
		for (let i = 0; i < RESPONDENTS; i++) {
			await page.getByRole('button', { name: 'Chạm để đánh giá' }).tap();
			const level = (name: string) => () => page.getByRole('button', { name, exact: true }).tap();
			const skip = () => page.getByRole('button', { name: 'Bỏ qua' }).tap();
			times.push(await timed(page, level('Hài lòng'), 'Câu 2/5'));
			times.push(await timed(page, level('Rất hài lòng'), 'Câu 3/5'));
			times.push(await timed(page, skip, 'Câu 4/5'));
			times.push(await timed(page, skip, 'Câu 5/5'));
			await page.getByRole('button', { name: 'Gửi đánh giá' }).tap();
			await page.getByRole('heading', { name: 'Mời Ông/Bà đánh giá' }).waitFor({ timeout: 20_000 });
		}
		return {
			cpuThrottle: THROTTLE,
			...summary(times),
			barePage: await barePage(context, times.length)
		};
	} finally {
		await browser.close();
	}
}
