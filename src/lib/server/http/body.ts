import { json } from '@sveltejs/kit';

export const MAX_JSON_BODY = 64 * 1024;

export type BodyProblem = 'body_too_large' | 'bad_encoding' | 'bad_json';

/**
 * Reads a JSON body of at most `limit` bytes. A declared or streamed length over the limit stops
 * reading at once (413 before parsing); bytes that are not UTF-8 are refused, not replaced.
 */
export async function readJson(
	request: Request,
	limit = MAX_JSON_BODY
): Promise<{ ok: true; value: unknown } | { ok: false; problem: BodyProblem }> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limit) return { ok: false, problem: 'body_too_large' };
	const body = await readLimited(request.body, limit);
	if (!body) return { ok: false, problem: 'body_too_large' };
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		return { ok: false, problem: 'bad_encoding' };
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false, problem: 'bad_json' };
	}
}

/**
 * Reads a body stream whole, stopping as soon as it passes `limit` bytes (null then): a streamed
 * body with no declared length cannot make us hold more than the limit.
 */
export async function readLimited(
	body: ReadableStream<Uint8Array> | null,
	limit: number
): Promise<Buffer | null> {
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (!body) return Buffer.alloc(0);
	const reader = body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return Buffer.concat(chunks);
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			return null;
		}
		chunks.push(value);
	}
}

/** A CSV file to download: never cached, since exports hold answers or live links. */
export function csvDownload(csv: string, fileName: string) {
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${fileName}"`,
			'Cache-Control': 'no-store'
		}
	});
}

export interface ApiError {
	path: string;
	message: string;
}

/** Every API error has one shape: `{ errors: [{ path, message }] }`. */
export function apiErrors(status: number, errors: ApiError[], headers?: HeadersInit) {
	return json({ errors }, { status, headers });
}

/**
 * A CSV a form uploaded (field `file`) or pasted (field `content`), as UTF-8 text; refused with a
 * message key when missing, over `maxBytes` or not UTF-8.
 */
export async function uploadedText(
	data: FormData,
	maxBytes: number
): Promise<{ content: string } | { error: 'file_required' | 'file_too_large' | 'file_encoding' }> {
	const file = data.get('file');
	const pasted = data.get('content');
	if (typeof pasted === 'string' && pasted !== '') {
		if (new TextEncoder().encode(pasted).length > maxBytes) return { error: 'file_too_large' };
		return { content: pasted };
	}
	if (!(file instanceof File) || file.size === 0) return { error: 'file_required' };
	if (file.size > maxBytes) return { error: 'file_too_large' };
	try {
		return { content: new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer()) };
	} catch {
		return { error: 'file_encoding' };
	}
}
