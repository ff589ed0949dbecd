import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, staffUser } from '$tests/helpers/staff';
import { startTestApp } from '$tests/helpers/test-app';
import type { App } from '$lib/server/app';
import { listAudit } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/auth';
import { actions, load } from './+page.server';
import Page from './+page.svelte';
import { GET as textsCsv } from './texts.csv/+server';

// An administrator sends the one-stop survey's texts to a translator, imports the translation,
// and marks it checked by a native speaker: only then do citizens see Khmer.
let app: App;
let admin: SessionUser;
const path = '/admin/surveys/one-stop-case';
const params = { id: 'one-stop-case' };

beforeAll(async () => {
	app = await startTestApp();
	admin = await staffUser(app, 'admin');
});
afterAll(() => app.db.close());

const upload = (content: string) => {
	const form = new FormData();
	form.set('file', new File([content], 'ban-dich.csv', { type: 'text/csv' }));
	return form;
};

async function khmer() {
	const out = await run(load, { path, params, user: admin });
	if (out.kind !== 'ok') throw new Error(JSON.stringify(out));
	return out.data.khmer as { translated: number; total: number; offered: boolean };
}

describe('the Khmer translation of a survey', () => {
	it('downloads, refuses a broken file with every problem, imports, and is shown only once marked', async () => {
		expect(await khmer()).toMatchObject({ translated: 16, total: 16, offered: false });
		const loaded = await run(load, { path, params, user: admin });
		const data = (loaded as { data: Record<string, unknown> }).data;
		const page = render(Page, {
			props: { data: { ...data, locale: 'vi' } as never, form: null }
		}).body;
		expect(page).toContain('Chưa được người bản ngữ kiểm tra.');
		expect(page).toContain('bản nháp, chưa được người bản ngữ kiểm tra');

		const download = await run(textsCsv, { path: `${path}/texts.csv`, params, user: admin });
		const response = (download as unknown as { data: { response: Response } }).data.response;
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const rows = parse(await response.text(), { bom: true }) as string[][];
		expect(rows[0]).toEqual(['id', 'vi', 'en', 'km']);
		expect(rows).toHaveLength(17);

		const broken = rows.map((r, i) => (i === 3 ? [r[0]!, r[1]!, r[2]!, 'Đánh giá'] : r));
		const refused = await run(actions.texts!, {
			path,
			params,
			user: admin,
			formData: upload(stringify(broken))
		});
		expect(refused).toMatchObject({
			kind: 'fail',
			status: 400,
			data: {
				problems: [{ row: 4, id: rows[3]![0], message: 'Ô km không có chữ Khmer.' }]
			}
		});
		const empty = await run(actions.texts!, {
			path,
			params,
			user: admin,
			formData: new FormData()
		});
		expect(empty).toMatchObject({ kind: 'fail', data: { fileError: 'Chọn tệp CSV để nhập.' } });

		const imported = await run(actions.texts!, {
			path,
			params,
			user: admin,
			formData: upload(stringify(rows))
		});
		expect(imported).toMatchObject({
			kind: 'redirect',
			location: `${path}?done=imported#texts-title`
		});
		expect(await khmer()).toMatchObject({ offered: false });

		const marked = await run(actions.reviewed!, { path, params, user: admin, form: {} });
		expect(marked).toMatchObject({
			kind: 'redirect',
			location: `${path}?done=reviewed#texts-title`
		});
		expect(await khmer()).toMatchObject({ offered: true });
		const unmarked = await run(actions.unreviewed!, { path, params, user: admin, form: {} });
		expect(unmarked).toMatchObject({ kind: 'redirect' });
		expect(await khmer()).toMatchObject({ offered: false });

		expect(
			(await listAudit(app.db, {}))
				.filter((e) => e.action.startsWith('survey_texts_'))
				.map((e) => e.action)
		).toEqual(['survey_texts_unreviewed', 'survey_texts_reviewed', 'survey_texts_imported']);
	});

	it('is for administrators only', async () => {
		const analyst = await staffUser(app, 'analyst');
		for (const handler of [actions.texts!, actions.reviewed!, actions.unreviewed!]) {
			const out = await run(handler, { path, params, user: analyst, form: {} });
			expect([out.kind, out.status]).toEqual(['error', 404]);
		}
		expect(await khmer()).toMatchObject({ offered: false });
	});
});
