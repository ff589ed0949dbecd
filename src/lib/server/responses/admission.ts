import type { App } from '../app';
import * as touchpoints from '../touchpoints';
import type { Touchpoint } from '../touchpoints';

// What both doors (the JSON API and the QR form) ask before they look at an answer: is this
// client within its rate, and which touchpoint is this.

export type Admission = { ok: true } | { ok: false; retryAfter: number; window: 'minute' | 'hour' };

/**
 * Anonymous submissions per client and touchpoint: a burst limit per minute and a ceiling per
 * hour, generous enough for a reception hall whose citizens share one Wi-Fi address.
 */
export function admit(app: App, client: string, touchpointCode: string): Admission {
	const key = `${client}|${touchpointCode}`;
	if (!app.limits.qr.hit(key))
		return { ok: false, retryAfter: app.limits.qr.retryAfter(key), window: 'minute' };
	if (!app.limits.qrHourly.hit(key)) {
		return { ok: false, retryAfter: app.limits.qrHourly.retryAfter(key), window: 'hour' };
	}
	return { ok: true };
}

const TOUCHPOINT_TTL_MS = 30_000;

/** Touchpoints change rarely and are read on every submission: keep them for a short while. */
export async function cachedTouchpoint(app: App, code: string): Promise<Touchpoint | undefined> {
	const hit = app.touchpointCache.get(code);
	if (hit && Date.now() - hit.at < TOUCHPOINT_TTL_MS) return hit.touchpoint;
	const touchpoint = await touchpoints.findByCode(app.db, code);
	if (app.touchpointCache.size > 10_000) app.touchpointCache.clear();
	app.touchpointCache.set(code, { touchpoint, at: Date.now() });
	return touchpoint;
}
