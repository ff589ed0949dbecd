import { json } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { apiErrors, readJson } from '$lib/server/http';
import { submit } from '$lib/server/responses';
import { log } from '$lib/server/log';
import type { RequestHandler } from './$types';

/** The kiosks' and integrations' door: one response per request, idempotent on its id. */
export const POST: RequestHandler = async ({ request, getClientAddress, locals }) => {
	const t = translator(locals.locale);
	const body = await readJson(request);
	if (!body.ok) {
		const status = body.problem === 'body_too_large' ? 413 : 400;
		return apiErrors(status, [{ path: '', message: t(`errors.${body.problem}`) }]);
	}
	try {
		const result = await submit(useApp(), body.value, {
			client: getClientAddress(),
			authorization: request.headers.get('authorization'),
			userAgent: request.headers.get('user-agent') ?? ''
		});
		switch (result.status) {
			case 'stored':
				return json({ id: result.id, status: 'stored' }, { status: 201 });
			case 'duplicate':
				return json({ id: result.id, status: 'duplicate' }, { status: 200 });
			case 'conflict':
				return apiErrors(409, [{ path: 'id', message: t('errors.conflict') }]);
			case 'rejected':
				return apiErrors(
					result.httpStatus,
					result.errors.map((e) => ({ path: e.path, message: t(e.message, e.params) })),
					result.headers
				);
		}
	} catch (error) {
		log.error('could not store a response', { error });
		return apiErrors(503, [{ path: '', message: t('errors.unavailable') }], { 'Retry-After': '5' });
	}
};
