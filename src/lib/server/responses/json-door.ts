import { z } from 'zod';
import { isRespondentLocale, type RespondentLocale } from '$lib/i18n';
import { isStorableInstant } from '$lib/survey/periods';
import type { App } from '../app';
import { devices } from '../touchpoints';
import { clientHash } from './fingerprint';
import { log } from '../log';
import { admit, cachedTouchpoint } from './admission';
import * as responses from './store';

const envelope = z.strictObject({
	id: z.uuid(),
	touchpoint: z.string().min(1).max(64),
	// Years 0000 and past 9999 pass the format but no timestamptz column takes them.
	answeredAt: z.iso.datetime({ offset: true }).refine((v) => isStorableInstant(new Date(v))),
	locale: z.string().refine(isRespondentLocale).default('vi'),
	// Passed on as parsed, not copied by zod: a copy would silently drop a `__proto__` key, which
	// must be refused like any other unknown question.
	answers: z.custom<Record<string, unknown>>(
		(v) => typeof v === 'object' && v !== null && !Array.isArray(v)
	),
	// Kiosks only: the version the respondent began on, and answers left unfinished.
	version: z.number().int().positive().optional(),
	partial: z.boolean().optional()
});

/** An error to show: `message` is an i18n key, translated by the route. */
export interface IngestError {
	path: string;
	message: string;
	params?: Record<string, number>;
}

export type SubmitResult =
	| { status: 'stored' | 'duplicate' | 'conflict'; id: string }
	| {
			status: 'rejected';
			httpStatus: number;
			errors: IngestError[];
			headers?: Record<string, string>;
	  };

function envelopeErrors(error: z.ZodError): IngestError[] {
	return error.issues.flatMap((issue): IngestError[] => {
		if (issue.code === 'unrecognized_keys') {
			return issue.keys.map((key) => ({ path: key, message: 'errors.field_unknown' }));
		}
		const path = issue.path.join('.');
		const message =
			path === 'id'
				? 'errors.id_invalid'
				: path === 'answeredAt'
					? 'errors.answered_at_invalid'
					: 'errors.field_invalid';
		return [{ path, message }];
	});
}

/**
 * Checks and stores one JSON submission (`POST /api/v1/responses`). Nothing is written unless
 * every check passes.
 */
export async function submit(
	app: App,
	body: unknown,
	{
		client,
		authorization,
		userAgent
	}: { client: string; authorization: string | null; userAgent: string }
): Promise<SubmitResult> {
	const parsed = envelope.safeParse(body);
	if (!parsed.success)
		return { status: 'rejected', httpStatus: 422, errors: envelopeErrors(parsed.error) };
	const input = parsed.data;
	const touchpoint = await cachedTouchpoint(app, input.touchpoint);
	if (!touchpoint) {
		return {
			status: 'rejected',
			httpStatus: 422,
			errors: [{ path: 'touchpoint', message: 'errors.unknown_touchpoint' }]
		};
	}
	// A closed kiosk touchpoint still takes what its paired tablets send: the tablet stops taking
	// respondents at its next heartbeat, and what it queued while open arrives late (bad-inputs 19).
	if (!touchpoint.active && touchpoint.channel !== 'kiosk') {
		return {
			status: 'rejected',
			httpStatus: 422,
			errors: [{ path: 'touchpoint', message: 'errors.touchpoint_inactive' }]
		};
	}
	if (touchpoint.channel === 'kiosk') {
		// Revocation policy (bad-inputs 43): the token is checked when a response arrives, and
		// revoking erases it. Responses the server received before revocation stay stored; anything
		// sent afterwards is refused, even answers a tablet queued offline earlier, because the
		// answeredAt of a revoked (perhaps stolen) tablet cannot be trusted.
		const device = await devices.authenticate(
			app.db,
			devices.bearerToken(authorization),
			touchpoint.id
		);
		if (!device) {
			return {
				status: 'rejected',
				httpStatus: 401,
				errors: [{ path: '', message: 'errors.device_token_required' }],
				headers: { 'WWW-Authenticate': 'Bearer' }
			};
		}
	}
	let version;
	if (input.version !== undefined) {
		version = app.surveys.version(touchpoint.surveyId, input.version);
		if (!version) {
			return {
				status: 'rejected',
				httpStatus: 422,
				errors: [{ path: 'version', message: 'errors.version_unknown' }]
			};
		}
	}
	if (input.partial && touchpoint.channel !== 'kiosk') {
		return {
			status: 'rejected',
			httpStatus: 422,
			errors: [{ path: 'partial', message: 'errors.field_invalid' }]
		};
	}
	// A paired kiosk answers for a whole hall and flushes its offline queue in bursts: the
	// per-client limit is for anonymous QR submissions only.
	const admission =
		touchpoint.channel === 'kiosk' ? { ok: true as const } : admit(app, client, touchpoint.code);
	if (!admission.ok) {
		return {
			status: 'rejected',
			httpStatus: 429,
			errors: [{ path: '', message: 'errors.rate_limited' }],
			headers: { 'Retry-After': String(admission.retryAfter) }
		};
	}
	const result = await responses.store(app.db, app.surveys, {
		id: input.id.toLowerCase(),
		touchpoint,
		reportedAt: new Date(input.answeredAt),
		receivedAt: new Date(),
		locale: input.locale as RespondentLocale,
		answers: input.answers,
		version,
		partial: input.partial,
		// One tablet serves a queue of citizens, who often give the same answers one after another:
		// the same-client duplicate check is for personal phones only.
		clientHash:
			touchpoint.channel === 'kiosk'
				? undefined
				: await clientHash(app.db, app.saltCache, { address: client, userAgent })
	});
	if (result.status === 'invalid') {
		return {
			status: 'rejected',
			httpStatus: 422,
			errors: result.errors.map((e) => ({
				path: e.question ? `answers.${e.question}` : 'answers',
				message: `errors.${e.code}`,
				params: e.params
			}))
		};
	}
	if (result.status === 'token_used') {
		return {
			status: 'rejected',
			httpStatus: 409,
			errors: [{ path: '', message: 'survey.tokenUsed' }]
		};
	}
	// A replay is routine; another answer under a stored id is a buggy or hostile client.
	if (result.status === 'conflict') {
		log.warn('response id reused with other content; the stored one is kept', {
			id: result.id,
			touchpoint: touchpoint.code
		});
	}
	return result;
}
