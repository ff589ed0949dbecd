import { error } from '@sveltejs/kit';
import { translator, type Locale } from '$lib/i18n';
import type { App } from './app';
import { clientHash } from './fingerprint';
import { cachedTouchpoint } from './ingest';

/** The touchpoint behind a public QR link, or the 404/410 page a citizen should see. */
export async function openQrTouchpoint(app: App, code: string, locale: Locale) {
	const t = translator(locale);
	const touchpoint = code.length <= 64 ? await cachedTouchpoint(app, code) : undefined;
	if (!touchpoint || touchpoint.channel !== 'qr') error(404, t('survey.notFound'));
	if (!touchpoint.active) error(410, t('survey.closed'));
	const version = app.surveys.current(touchpoint.surveyId);
	if (!version) error(404, t('survey.notFound'));
	return { touchpoint, version };
}

/** The client's fingerprint of the day: never the address itself. */
export function fingerprint(app: App, address: string, request: Request) {
	return clientHash(app.db, app.saltCache, {
		address,
		userAgent: request.headers.get('user-agent') ?? ''
	});
}
