import { isActionFailure, isRedirect } from '@sveltejs/kit';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { countResponses, touchpointAt } from '$tests/helpers/responses';
import { addSurvey, startNumbersApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { sql } from '$lib/server/db';
import * as results from '$lib/server/results';
import type { Touchpoint } from '$lib/server/touchpoints';
import { localDate, parsePeriod } from '$lib/survey/periods';
import { actions } from './+page.server';
import { actions as thanksActions } from './thanks/+page.server';

let app: App;
let tp: Touchpoint;

beforeAll(async () => {
	app = await startNumbersApp({ QR_RATE_LIMIT: '3', QR_RATE_LIMIT_HOURLY: '5' });
	tp = await touchpointAt(app, 'test-numbers', 'AG.LX');
});
afterAll(() => app.db.close());
afterEach(() => vi.useRealTimers());

const submit = actions.default!;
type Event = Parameters<typeof submit>[0];
type Outcome = { status: number; location?: string; data: Record<string, unknown> };

/**
 * Posts the survey form as a browser would, from a given address and browser. The fields are
 * name–value pairs, or an object when no name repeats.
 */
async function post(
	fields: [string, string][] | Record<string, string>,
	{ address = '198.51.100.1', agent = 'Phone/1', query = '', at = tp } = {}
): Promise<Outcome> {
	const body = new URLSearchParams(fields);
	const url = new URL(`http://localhost/s/${at.code}${query}`);
	const event = {
		params: { code: at.code },
		url,
		request: new Request(url, { method: 'POST', body, headers: { 'user-agent': agent } }),
		locals: { locale: 'vi', display: 'normal', user: null, sessionId: null },
		cookies: { set: () => {}, get: () => undefined },
		getClientAddress: () => address
	} as unknown as Event;
	try {
		const result = await submit(event);
		return isActionFailure(result)
			? { status: result.status, data: result.data as unknown as Record<string, unknown> }
			: { status: 200, data: result as unknown as Record<string, unknown> };
	} catch (thrown) {
		if (isRedirect(thrown)) {
			return {
				status: thrown.status,
				location: thrown.location,
				data: {} as Record<string, unknown>
			};
		}
		throw thrown;
	}
}

const count = () => countResponses(app);

describe('the QR survey form', () => {
	it('stores a valid answer and redirects to the thank-you page', async () => {
		const before = await count();
		const result = await post({ q1: '5', comment: 'Tốt' }, { address: '198.51.100.10' });
		expect(result).toMatchObject({ status: 303, location: `/s/${tp.code}/thanks` });
		expect(await count()).toBe(before + 1);
	});

	it('keeps the answers and names the question when one is missing or out of range', async () => {
		const before = await count();
		const result = await post({ q2: '9', comment: 'x' }, { address: '198.51.100.11' });
		expect(result.status).toBe(422);
		expect(result.data.errors).toEqual({
			q1: 'Xin Ông/Bà trả lời câu này.',
			q2: 'Chọn một mức từ 1 đến 5.'
		});
		expect(result.data.values).toEqual({ q2: ['9'], comment: ['x'] });
		expect(await count()).toBe(before);
	});

	it('shows a follow-up question revealed by an answer before storing, when the page had not shown it', async () => {
		const before = await count();
		const result = await post(
			{ q1: '4', visits: '2', _shown: 'q1 q2 r1 visits comment pct channels' },
			{ address: '198.51.100.12' }
		);
		expect(result.status).toBe(200);
		expect(result.data.notice).toMatch(/có thêm câu hỏi/);
		expect(result.data.visible).toContain('q3');
		expect(await count()).toBe(before);
	});

	it('drops the answer to a question hidden by skip logic', async () => {
		await post({ q1: '4', visits: '1', q3: '2' }, { address: '198.51.100.13' });
		const [row] = await app.db.query<{ answers: Record<string, unknown> }>(
			sql`select answers from responses order by received_at desc limit 1`
		);
		expect(row!.answers).toEqual({ q1: 4, visits: '1' });
	});

	it('thanks a bot that fills the honeypot and stores nothing', async () => {
		const before = await count();
		const result = await post(
			{ q1: '5', _website: 'http://spam.example' },
			{ address: '198.51.100.14' }
		);
		expect(result).toMatchObject({ status: 303, location: `/s/${tp.code}/thanks` });
		expect(await count()).toBe(before);
	});

	it('refuses NUL and control characters in text with a message, not a server error', async () => {
		const result = await post({ q1: '5', comment: 'a\u0000b' }, { address: '198.51.100.15' });
		expect(result.status).toBe(422);
		expect(result.data.errors).toEqual({ comment: 'Câu trả lời chứa ký tự không hợp lệ.' });
	});

	it('limits one address per touchpoint per minute and per hour, then lets it through again', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2030-01-01T02:00:00Z'));
		const hall = { address: '203.0.113.50' };
		for (let i = 1; i <= 3; i++)
			expect((await post({ q1: String(i) }, { ...hall, agent: `P${i}` })).status).toBe(303);
		const blocked = await post({ q1: '4' }, { ...hall, agent: 'P4' });
		expect(blocked.status).toBe(429);
		expect(blocked.data.formError).toMatch(/quá nhiều phiếu/);
		expect(blocked.data.values).toEqual({ q1: ['4'] }); // the answers stay on the page
		// another address in the same minute is not affected
		expect((await post({ q1: '4' }, { address: '203.0.113.51' })).status).toBe(303);

		vi.setSystemTime(new Date('2030-01-01T02:01:01Z'));
		expect((await post({ q1: '4' }, { ...hall, agent: 'P4' })).status).toBe(303);
		expect((await post({ q1: '5' }, { ...hall, agent: 'P5' })).status).toBe(303);
		const hourly = await post({ q1: '3' }, { ...hall, agent: 'P6' });
		expect(hourly.status).toBe(429);
		expect(hourly.data.formError).toMatch(/trong giờ qua/);

		vi.setSystemTime(new Date('2030-01-01T03:00:01Z'));
		expect((await post({ q1: '3' }, { ...hall, agent: 'P6' })).status).toBe(303);
	});

	it('flags the same answers from the same client minutes apart, and results leave them out', async () => {
		const phone = { address: '192.0.2.77', agent: 'SamePhone/2' };
		const answers = { q1: '2', comment: 'trùng lặp' };
		expect((await post(answers, phone)).status).toBe(303);
		expect((await post(answers, phone)).status).toBe(303); // a double tap, a reload, a ballot stuffer
		expect((await post({ q1: '2', comment: 'khác' }, phone)).status).toBe(303); // different answers
		const flags = await app.db.query<{ flag: string | null }>(sql`
			select flag from responses where answers->>'comment' in ('trùng lặp', 'khác') order by received_at`);
		expect(flags.map((f) => f.flag)).toEqual([null, 'duplicate', null]);
		const range = parsePeriod(localDate(new Date()).slice(0, 7))!;
		const counted = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG.LX', range },
			{ full: true }
		);
		const all = await results.forUnit(
			app.db,
			app.surveys,
			{ surveyId: 'test-numbers', unitCode: 'AG.LX', range, includeFlagged: true },
			{ full: true }
		);
		expect(counted.excluded).toBeGreaterThanOrEqual(1);
		expect(all.responses).toBe(counted.responses + counted.excluded);
	});

	it('never stores the client address', async () => {
		await post({ q1: '5', comment: 'địa chỉ' }, { address: '198.51.100.99' });
		const [row] = await app.db.query<Record<string, unknown>>(
			sql`select * from responses where answers->>'comment' = 'địa chỉ'`
		);
		expect(JSON.stringify(row)).not.toContain('198.51.100.99');
		expect(row!.client_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});
});

describe('contact details on the QR form', () => {
	let withContact: Touchpoint;
	beforeAll(async () => {
		await addSurvey(app, {
			...numbersSurvey,
			id: 'test-contact',
			contact: { purpose: { vi: 'Để cơ quan liên hệ lại', en: 'So the agency can reply' } }
		});
		withContact = await touchpointAt(app, 'test-contact', 'AG.CD');
	});
	const contactRows = async () =>
		app.db.query<{ response_id: string; phone: string; purpose: string }>(
			sql`select response_id::text, phone, purpose from response_contacts order by consented_at`
		);

	it('refuses a phone number without the consent box ticked, storing nothing', async () => {
		const before = await count();
		const result = await post(
			{ q1: '2', _contact_phone: '0912 345 678' },
			{ at: withContact, address: '198.51.100.60' }
		);
		expect(result.status).toBe(422);
		expect(result.data.errors).toEqual({
			_contact_consent: expect.stringMatching(/đánh dấu ô đồng ý/)
		});
		expect(result.data.contact).toMatchObject({ phone: '0912 345 678', consent: false });
		expect(await count()).toBe(before);
	});

	it('keeps consented contact details apart from the answers, until the respondent withdraws them', async () => {
		const result = await post(
			{
				q1: '1',
				comment: 'Chờ lâu',
				_contact_name: 'Trần Thị B',
				_contact_phone: '0912.345.678',
				_contact_consent: 'yes'
			},
			{ at: withContact, address: '198.51.100.61' }
		);
		expect(result.status).toBe(303);
		const id = new URL(result.location!, 'http://localhost').searchParams.get('r')!;
		const [stored] = await app.db.query<{ answers: Record<string, unknown> }>(
			sql`select answers from responses where id = ${id}::uuid`
		);
		expect(stored!.answers).toEqual({ q1: 1, comment: 'Chờ lâu' });
		expect((await contactRows()).find((r) => r.response_id === id)).toMatchObject({
			phone: '0912345678',
			purpose: 'Để cơ quan liên hệ lại'
		});

		const withdraw = thanksActions.default!;
		await withdraw({
			url: new URL(`http://localhost/s/${withContact.code}/thanks?r=${id}`)
		} as unknown as Parameters<typeof withdraw>[0]);
		expect((await contactRows()).find((r) => r.response_id === id)).toBeUndefined();
		const [kept] = await app.db.query<{ n: number }>(
			sql`select count(*)::int as n from responses where id = ${id}::uuid`
		);
		expect(kept!.n).toBe(1);
	});

	it('ignores contact fields on a survey that does not ask for them', async () => {
		const before = (await contactRows()).length;
		const result = await post(
			{ q1: '4', _contact_phone: '0912345678', _contact_consent: 'yes' },
			{ address: '198.51.100.62' }
		);
		expect(result).toMatchObject({ status: 303, location: `/s/${tp.code}/thanks` });
		expect((await contactRows()).length).toBe(before);
	});
});
