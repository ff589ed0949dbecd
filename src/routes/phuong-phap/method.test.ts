import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { load } from './+page.server';
import Page from './+page.svelte';

let app: App;
beforeAll(async () => (app = await startTestApp()));
afterAll(() => app.db.close());

async function page(locale: 'vi' | 'en') {
	const out = await run(load, { user: null, path: '/phuong-phap', locale });
	if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
	return render(Page, { props: { data: out.data as never } }).body;
}

describe('the method page', () => {
	it('explains the figures in Vietnamese, for anyone, with every survey’s basis', async () => {
		const body = await page('vi');
		expect(body).toMatch(/<h1[^>]*>Cách tính các số liệu<\/h1>/);
		expect(body).toContain('“Bình thường” không được tính là hài lòng');
		expect(body).toContain('80,2%–93,0%: “Chưa kết luận được”');
		expect(body).toContain('không phải là mẫu ngẫu nhiên');
		for (const { definition } of app.surveys.list()) {
			expect(body).toContain(`id="survey-${definition.id}"`);
			// The basis is shown whole, escaped as HTML text.
			expect(body).toContain(definition.basis.replaceAll('&', '&amp;').slice(0, 200));
		}
		expect(body).toContain('href="/phuong-phap?lang=en"');
	});

	it('says the same in English, the basis kept in Vietnamese and marked so', async () => {
		const body = await page('en');
		expect(body).toMatch(/<h1[^>]*>How the figures are made<\/h1>/);
		expect(body).toContain('80.2%–93.0%: “not yet conclusive”');
		expect(body).toMatch(/<p class="basis[^"]*" lang="vi">/);
		expect(body).toContain('href="/phuong-phap?lang=vi"');
		expect(body).not.toMatch(/>method\./);
	});
});
