import type { RespondentLocale } from '$lib/i18n/locales';
import type { Place } from '$lib/place';
import type { SurveyDefinition } from '$lib/survey/definition';
import type { Attempt, ResponseBody } from './outbox';

export interface PairedDevice {
	device: string;
	name: string;
	token: string;
	touchpoint: string;
	survey: string;
	/** Missing on tablets paired before it existed: the next heartbeat brings it. */
	place?: Place | null;
}

/** What the server expects of this kiosk now, as the heartbeat answers it. */
export interface Expected {
	touchpoint: string;
	survey: string;
	version: number | null;
	/** The languages citizens may answer the current version in. */
	languages?: RespondentLocale[];
	idleSeconds: number;
	idlePolicy: 'discard' | 'submit';
	active: boolean;
	/** The server's build: a kiosk on another one reloads between respondents. */
	appVersion?: string;
	place?: Place | null;
}

export interface HeartbeatBody {
	queueLength: number;
	oldestQueuedAt: string | null;
	lastSyncAt: string | null;
	deadLetters: number;
	appVersion: string;
	online: boolean;
}

type Errors = { path: string; message: string }[];

/** How far the tablet's clock is behind the server's, learnt from each answer's Date header. */
export const clock = {
	offsetMs: 0,
	measured: false,
	observe(response: Response) {
		const date = Date.parse(response.headers.get('date') ?? '');
		if (Number.isNaN(date)) return;
		this.offsetMs = date - Date.now();
		this.measured = true;
	},
	/** Now, as the server counts it: what answeredAt carries, so periods are right. */
	now(): Date {
		return new Date(Date.now() + this.offsetMs);
	}
};

async function errorsOf(response: Response): Promise<Errors> {
	try {
		const body = (await response.json()) as { errors?: Errors };
		return Array.isArray(body.errors) ? body.errors : [];
	} catch {
		return [];
	}
}

const jsonHeaders = (token?: string) => ({
	'content-type': 'application/json',
	...(token ? { authorization: `Bearer ${token}` } : {})
});

export type PairOutcome =
	{ ok: true; device: PairedDevice } | { ok: false; status: number; message: string | null };

export async function pair(code: string): Promise<PairOutcome> {
	const response = await fetch('/api/v1/devices/pair', {
		method: 'POST',
		headers: jsonHeaders(),
		body: JSON.stringify({ code }),
		cache: 'no-store'
	});
	clock.observe(response);
	if (response.status === 201) return { ok: true, device: await response.json() };
	return {
		ok: false,
		status: response.status,
		message: (await errorsOf(response))[0]?.message ?? null
	};
}

export type HeartbeatOutcome = { ok: true; expected: Expected } | { ok: false; status: number };

export async function heartbeat(token: string, body: HeartbeatBody): Promise<HeartbeatOutcome> {
	const response = await fetch('/api/v1/devices/heartbeat', {
		method: 'POST',
		headers: jsonHeaders(token),
		body: JSON.stringify(body),
		cache: 'no-store'
	});
	clock.observe(response);
	if (response.ok) return { ok: true, expected: await response.json() };
	return { ok: false, status: response.status };
}

/** A definition as the server hands it to kiosks: with the languages it may be answered in. */
export type KioskDefinition = SurveyDefinition & { languages?: RespondentLocale[] };

export async function definition(survey: string): Promise<KioskDefinition> {
	const response = await fetch(`/api/v1/surveys/${encodeURIComponent(survey)}`, {
		cache: 'no-store'
	});
	if (!response.ok) throw new Error(`survey ${survey}: HTTP ${response.status}`);
	return response.json();
}

export async function send(token: string, body: ResponseBody): Promise<Attempt> {
	const response = await fetch('/api/v1/responses', {
		method: 'POST',
		headers: jsonHeaders(token),
		body: JSON.stringify(body),
		cache: 'no-store'
	});
	clock.observe(response);
	const retryAfter = Number(response.headers.get('retry-after'));
	return {
		status: response.status,
		errors: response.ok ? [] : await errorsOf(response),
		retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined
	};
}
