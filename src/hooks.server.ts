import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { isLocale } from '$lib/i18n';
import { startApp, stopApp, useApp } from '$lib/server/app';
import { userOfApiToken } from '$lib/server/auth/api-token';
import {
	deleteSessionCookie,
	sessionCookieName,
	validateSessionToken
} from '$lib/server/auth/session';
import { apiErrors } from '$lib/server/http';
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

/** Pages a signed-in user may still open while a password change or second factor is due. */
const gatePaths = ['/logout', '/account/password', '/account/mfa', '/login/totp'];

const session: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.viaToken = false;
	const { db, config } = useApp();
	const secure = event.url.protocol === 'https:';
	const isApi = event.url.pathname.startsWith('/api/');
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer (\S+)$/)?.[1];
	const readOnly = event.request.method === 'GET' || event.request.method === 'HEAD';
	if (isApi && bearer?.startsWith('hl_')) {
		// API tokens are read-only: they identify their owner on GET requests and nothing else.
		const owner = readOnly ? await userOfApiToken(db, bearer) : null;
		if (!owner) return apiErrors(401, [{ path: '', message: 'Invalid or read-only token' }]);
		event.locals.user = owner;
		event.locals.viaToken = true;
		return resolve(event);
	}
	const token = event.cookies.get(sessionCookieName(secure));
	if (token) {
		const found = await validateSessionToken(db, token);
		if (found) {
			event.locals.user = found.user;
			event.locals.sessionId = found.session.id;
			const path = event.url.pathname;
			const gated = !gatePaths.includes(path);
			const gate =
				found.user.mfaEnrolled && !found.session.twoFactorVerified
					? '/login/totp'
					: found.user.mustChangePassword
						? '/account/password'
						: config.REQUIRE_ADMIN_MFA === '1' &&
							  found.user.role === 'admin' &&
							  !found.user.mfaEnrolled
							? '/account/mfa'
							: null;
			if (gate && gated) {
				// Until the gate is passed the session is good for the gate page alone.
				if (isApi) {
					event.locals.user = null;
				} else {
					return new Response(null, { status: 303, headers: { location: gate } });
				}
			}
			if (isApi && !readOnly && !sameOriginJson(event.request, event.url)) {
				return apiErrors(403, [{ path: '', message: 'Cross-origin request refused' }]);
			}
		} else {
			deleteSessionCookie(event.cookies, secure);
		}
	}
	return resolve(event);
};

/**
 * A cookie-authenticated JSON call must come from our own pages: a JSON content type (which a
 * cross-site page cannot send without a preflight) and our Origin.
 */
function sameOriginJson(request: Request, url: URL) {
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	return request.headers.get('origin') === url.origin && type === 'application/json';
}

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	const csp = h.get('content-security-policy');
	h.set(
		'Content-Security-Policy',
		csp ? `${csp}; frame-ancestors 'none'` : "frame-ancestors 'none'"
	);
	h.set('X-Frame-Options', 'DENY');
	if (event.url.protocol === 'https:') {
		h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	// Staff pages and anything shown to a signed-in user stay out of every cache.
	const staffPage =
		event.route.id?.startsWith('/(staff)') || event.url.pathname.startsWith('/login');
	if ((event.locals.user || staffPage) && !h.has('cache-control')) {
		h.set('Cache-Control', 'no-store');
	}
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
