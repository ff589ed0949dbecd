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
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (request.body) {
		const reader = request.body.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			size += value.byteLength;
			if (size > limit) {
				await reader.cancel();
				return { ok: false, problem: 'body_too_large' };
			}
			chunks.push(value);
		}
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		return { ok: false, problem: 'bad_encoding' };
	}
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false, problem: 'bad_json' };
	}
}

export interface ApiError {
	path: string;
	message: string;
}

/** Every API error has one shape: `{ errors: [{ path, message }] }`. */
export function apiErrors(status: number, errors: ApiError[], headers?: HeadersInit) {
	return json({ errors }, { status, headers });
}
