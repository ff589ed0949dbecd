import type { Handle, RequestEvent } from '@sveltejs/kit';
import { apiErrors } from '$lib/server/http/body';
import { log } from '$lib/server/log';

export interface ServerFailure {
	/** Quoted by the user, found in the log: the one link between the two. */
	id: string;
	message: string;
}

/** Says nothing of the cause (no stack, SQL or path), only where to look it up. */
function serverErrorMessage(id: string): string {
	return `Lỗi hệ thống, xin thử lại sau. Mã lỗi: ${id} / Server error, please try again later. Error id: ${id}`;
}

/**
 * Logs an unexpected failure with its stack under a fresh id and returns what the user may see.
 * The failure is kept on `locals` so `apiServerErrors` can answer in the API's own shape. Only
 * the URL is required: reporting a failure must not fail in turn on a partial event.
 */
export function reportServerError(
	error: unknown,
	event: Pick<RequestEvent, 'url'> & Partial<Pick<RequestEvent, 'request' | 'locals'>>
): ServerFailure {
	const id = crypto.randomUUID().slice(0, 8);
	log.error('unhandled error', {
		id,
		method: event.request?.method,
		path: event.url.pathname,
		error
	});
	const failure = { id, message: serverErrorMessage(id) };
	if (event.locals) event.locals.failure = failure;
	return failure;
}

/**
 * SvelteKit answers an unexpected error in an endpoint with `{ message }` or an HTML page,
 * depending on Accept; API clients are promised `{ errors: [{ path, message }] }` whatever they
 * accept. A failure in a later handle (the session lookup with the database down) is caught here
 * too, so it gets the same answer.
 */
export const apiServerErrors: Handle = async ({ event, resolve }) => {
	if (!event.url.pathname.startsWith('/api/')) return resolve(event);
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		const { message } = reportServerError(error, event);
		return failureResponse(500, message);
	}
	const failure = event.locals.failure;
	return failure ? failureResponse(response.status, failure.message) : response;
};

function failureResponse(status: number, message: string) {
	return apiErrors(status, [{ path: '', message }], { 'Cache-Control': 'no-store' });
}
