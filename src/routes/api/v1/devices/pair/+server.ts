import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { devices } from '$lib/server/touchpoints';
import { placeOf } from '$lib/server/units';
import { apiErrors, readJson, refuseBody } from '$lib/server/http';
import type { RequestHandler } from './$types';

const body = z.strictObject({ code: z.string().min(1).max(32) });

/**
 * A kiosk tablet trades the pairing code an administrator gave it for its device token, once.
 * No cookie and no session: the code itself is the credential, so wrong codes are rate-limited
 * per client and every answer for an unknown, used or expired code is the same 404.
 */
export const POST: RequestHandler = async ({ request, getClientAddress, locals }) => {
	const t = translator(locals.locale);
	const app = useApp();
	const client = getClientAddress();
	const limiter = app.limits.pairing;
	if (limiter.exhausted(client)) {
		return apiErrors(429, [{ path: '', message: t('devices.api.tooManyAttempts') }], {
			'Retry-After': String(limiter.retryAfter(client))
		});
	}
	const read = await readJson(request);
	if (!read.ok) return refuseBody(read.problem, t);
	const parsed = body.safeParse(read.value);
	if (!parsed.success) {
		return apiErrors(422, [{ path: 'code', message: t('devices.api.codeInvalid') }]);
	}
	const pairing = await app.db.transaction(async (tx) => {
		const paired = await devices.pair(tx, parsed.data.code);
		if (paired) {
			await audit(tx, {
				actor: null,
				action: 'device_paired',
				target: paired.device,
				detail: { device: paired.device, touchpoint: paired.touchpoint },
				client
			});
		}
		return paired;
	});
	if (!pairing) {
		limiter.hit(client);
		return apiErrors(404, [{ path: 'code', message: t('devices.api.codeUnknown') }]);
	}
	return json(
		{
			device: pairing.device,
			name: pairing.name,
			token: pairing.token,
			touchpoint: pairing.touchpoint,
			survey: pairing.survey,
			place: (await placeOf(app.db, pairing.unitCode)) ?? null
		},
		{ status: 201, headers: { 'Cache-Control': 'no-store' } }
	);
};
