// The doors answers come in by and go out of, as the tables use them: the JSON API, the QR form,
// the import preview; the survey page, the responses export and what the database kept.
import { render } from 'svelte/server';
import { sql } from '../../src/lib/server/db';
import type { Touchpoint } from '../../src/lib/server/touchpoints';
import { localDate } from '../../src/lib/survey/periods';
import {
	actions as surveyActions,
	load as surveyLoad
} from '../../src/routes/(respond)/s/[code]/+page.server';
import SurveyPage from '../../src/routes/(respond)/s/[code]/+page.svelte';
import { actions as importActions } from '../../src/routes/(staff)/entry/import/+page.server';
import { GET as exportResponses } from '../../src/routes/(staff)/exports/responses/+server';
import { POST as postResponse } from '../../src/routes/api/v1/responses/+server';
import { send, signedIn, type Hostile, type Sent } from './context';

/** POST /api/v1/responses with a JSON value, or raw text, bytes or a stream. */
export function api(body: unknown, extra: Partial<Sent> = {}) {
	return send(postResponse, {
		path: '/api/v1/responses',
		method: 'POST',
		...extra,
		headers: { 'content-type': 'application/json', ...extra.headers },
		body:
			typeof body === 'string' || body instanceof Uint8Array || body instanceof ReadableStream
				? (body as BodyInit)
				: JSON.stringify(body)
	});
}

/** POST /s/{code}: the QR survey form as a phone sends it. */
export function form(
	at: Touchpoint,
	/** Field names and values; a repeated name (a multiple choice) as a list of pairs. */
	fields: Record<string, string> | [string, string][],
	{ query = '', address = '198.51.100.20', agent = 'Phone/1', headers = {} } = {}
) {
	return send(surveyActions.default!, {
		path: `/s/${at.code}${query}`,
		params: { code: at.code },
		routeId: '/(respond)/s/[code]',
		body: new URLSearchParams(fields),
		headers: { 'user-agent': agent, ...headers },
		address
	});
}

/** The staff import preview of a CSV file (text or bytes), by an administrator. */
export async function previewImport(h: Hostile, file: string | Uint8Array<ArrayBuffer>) {
	const { cookies } = await signedIn(h.app, 'admin');
	const body = new FormData();
	body.set('file', new File([file], 'phieu.csv', { type: 'text/csv' }));
	return send(importActions.preview!, { path: '/entry/import', body, cookies });
}

/** The answers stored under an id, if any. */
export async function answersOf(h: Hostile, id: string) {
	const [row] = await h.app.db.query<{ answers: Record<string, unknown> }>(
		sql`select answers from responses where id = ${id}::uuid`
	);
	return row?.answers;
}

/** The answers of the response stored last. */
export async function newestAnswers(h: Hostile) {
	const [row] = await h.app.db.query<{ answers: Record<string, unknown> }>(
		sql`select answers from responses order by received_at desc limit 1`
	);
	return row!.answers;
}

/** The survey page of a QR link as the server renders it (it ships no JavaScript). */
export async function surveyPage(at: Touchpoint) {
	const loaded = await send(surveyLoad, { path: `/s/${at.code}`, params: { code: at.code } });
	return render(SurveyPage, {
		props: { data: { ...loaded.data, display: 'normal' }, form: null }
	}).body;
}

/** This month's responses of AG.LX, downloaded by an analyst as CSV and as XLSX. */
export async function exportResponsesOf(h: Hostile) {
	const analyst = await signedIn(h.app, 'analyst');
	const month = localDate(new Date()).slice(0, 7);
	const download = async (format: string) => {
		const reply = await send(exportResponses, {
			path: `/exports/responses?survey=test-hostile&unit=AG.LX&period=${month}&format=${format}`,
			cookies: analyst.cookies,
			unread: true
		});
		return { reply, bytes: new Uint8Array(await reply.response.arrayBuffer()) };
	};
	const csv = await download('csv');
	return {
		headers: csv.reply.headers,
		bytes: csv.bytes,
		// Decoded keeping the BOM, as a spreadsheet receives the file.
		text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(csv.bytes),
		xlsx: (await download('xlsx')).bytes
	};
}
