import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touchpointAt } from '$tests/helpers/responses';
import { staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { sql } from '$lib/server/db';
import { translations } from '$lib/server/surveys';
import type { Touchpoint } from '$lib/server/touchpoints';
import { actions, load } from './+page.server';
import Page from './+page.svelte';

// A citizen of An Giang's Khmer communities on the one-stop survey's QR link: offered Khmer only
// once an administrator has marked the draft translation reviewed.
let app: App;
let tp: Touchpoint;
let by: { actor: { id: string; email: string }; client: string };

beforeAll(async () => {
	app = await startTestApp();
	tp = await touchpointAt(app, 'one-stop-case', 'AG.LX');
	const admin = await staffUser(app, 'admin');
	by = { actor: { id: admin.id, email: admin.email }, client: '203.0.113.7' };
});
afterAll(() => app.db.close());

const def = () => app.surveys.current('one-stop-case')!.definition;
const locals = () => ({
	locale: 'vi' as const,
	respondentLocale: 'km' as const,
	lang: undefined as string | undefined,
	display: 'normal' as const,
	user: null,
	sessionId: null
});

async function open(l = locals()) {
	const url = new URL(`http://localhost/s/${tp.code}`);
	const data = await load({
		params: { code: tp.code },
		url,
		locals: l,
		getClientAddress: () => '198.51.100.9'
	} as never);
	return data as Exclude<typeof data, void>;
}

describe('the QR page in Khmer', () => {
	it('stays in Vietnamese while the Khmer draft is not reviewed', async () => {
		const l = locals();
		const data = await open(l);
		expect(data.locale).toBe('vi');
		expect(data.languages).toEqual(['vi', 'en']);
		expect(data.survey.title).toBe(def().title.vi);
		expect(l.lang).toBe('vi');
	});

	it('is offered in Khmer once reviewed: texts, scale words, language buttons, <html lang>', async () => {
		await translations.setReviewed(app.db, by, def(), true);
		const l = locals();
		const data = await open(l);
		expect(data.locale).toBe('km');
		expect(l.lang).toBe('km');
		expect(data.languages).toEqual(['vi', 'en', 'km']);
		expect(data.survey.title).toBe(def().title.km);
		const first = data.survey.sections[0]!.questions[0]!;
		expect(first.options.map((o: { label: string }) => o.label)).toEqual([
			'មិនពេញចិត្ត',
			'ពេញចិត្ត',
			'ពេញចិត្តខ្លាំង'
		]);
		const body = render(Page, {
			props: { data: { ...data, display: 'normal' } as never, form: null }
		}).body;
		expect(body).toContain('ផ្ញើចម្លើយ');
		expect(body).toMatch(/name="_lang" value="vi" lang="vi"[^>]*>Tiếng Việt</);
		expect(body).toMatch(/name="_lang" value="en" lang="en"[^>]*>English</);
	});

	it('stores an answer given in Khmer with its language, and thanks in Khmer', async () => {
		const url = new URL(`http://localhost/s/${tp.code}`);
		const shown = 'case_overall officer_attitude on_time contacts comment';
		const body = new URLSearchParams({ case_overall: '3', _shown: shown });
		const event = {
			params: { code: tp.code },
			url,
			request: new Request(url, { method: 'POST', body, headers: { 'user-agent': 'Phone/2' } }),
			locals: locals(),
			cookies: { set: () => {}, get: () => undefined },
			getClientAddress: () => '198.51.100.10'
		};
		const thrown = await Promise.resolve(actions.default!(event as never)).catch((e: unknown) => e);
		expect(isRedirect(thrown) && thrown.location).toBe(`/s/${tp.code}/thanks`);
		const [row] = await app.db.query<{ locale: string }>(
			sql`select locale from responses where touchpoint_id = ${tp.id}`
		);
		expect(row?.locale).toBe('km');
		const { load: thanks } = await import('./thanks/+page.server');
		const data = (await thanks({
			params: { code: tp.code },
			url: new URL(`http://localhost/s/${tp.code}/thanks`),
			locals: locals()
		} as never)) as { locale: string };
		expect(data.locale).toBe('km');
	});
});
