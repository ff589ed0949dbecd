import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isLocale } from '$lib/i18n';
import { startApp, stopApp, useApp } from '$lib/server/app';
import {
	SESSION_COOKIE,
	validateSessionToken,
	deleteSessionCookie
} from '$lib/server/auth/session';
import { log } from '$lib/server/log';
import { scheduleTidying } from '$lib/server/maintenance';
import { rememberChoice } from '$lib/server/public-link';

export const init: ServerInit = async () => {
	let app;
	try {
		app = await startApp();
	} catch (error) {
		// A broken definition file, a bad variable or a busy data directory: say what, then stop.
		console.error(`Hài Lòng cannot start.\n${(error as Error).message}`);
		process.exit(1);
	}
	const stopTidying = scheduleTidying(app.db);
	process.once('sveltekit:shutdown', () => {
		stopTidying();
		void stopApp();
	});
	// Under node:cluster (scripts/start.js) only the first process introduces the server.
	if ((process.env.HAILONG_WORKER ?? '1') !== '1') return;
	const origin = app.config.ORIGIN ?? `http://localhost:${app.config.PORT}`;
	const where = app.config.DATABASE_URL
		? 'PostgreSQL (DATABASE_URL)'
		: `embedded PGlite in ${app.config.DATA_DIR}`;
	console.log(`Hài Lòng is ready on ${origin} — database: ${where}`);
	console.log(`  Staff sign-in: ${origin}/login`);
	if (app.seeded.generatedPassword) {
		console.log(
			`  First administrator: ${app.seeded.adminEmail} / ${app.seeded.generatedPassword}  (shown once; change it)`
		);
	}
	const qr = app.seeded.qrCodes[0];
	if (qr) console.log(`  Try the QR survey: ${origin}/s/${qr.code}`);
};

const locale: Handle = async ({ event, resolve }) => {
	const asked = event.url.searchParams.get('lang');
	const saved = event.cookies.get('lang');
	event.locals.locale = isLocale(asked) ? asked : isLocale(saved) ? saved : 'vi';
	event.locals.display = event.cookies.get('display') === 'large' ? 'large' : 'normal';
	if (isLocale(asked) && asked !== saved) {
		rememberChoice(event.cookies, 'lang', asked);
	}
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
};

const session: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const found = await validateSessionToken(useApp().db, token);
		if (found) {
			event.locals.user = found.user;
			event.locals.sessionId = found.session.id;
		} else {
			deleteSessionCookie(event.cookies, event.url.protocol === 'https:');
		}
	}
	return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	if (!h.has('content-security-policy')) h.set('Content-Security-Policy', "frame-ancestors 'none'");
	else
		h.set('Content-Security-Policy', `${h.get('content-security-policy')}; frame-ancestors 'none'`);
	if (event.locals.user && !h.has('cache-control')) h.set('Cache-Control', 'no-store');
	return response;
};

export const handle = sequence(securityHeaders, locale, session);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404)
		log.error('unhandled error', { path: event.url.pathname, error: String(error) });
	return {
		message: status === 404 ? 'Không tìm thấy trang / Not found' : 'Lỗi hệ thống / Server error'
	};
};
