import type { Handle } from '@sveltejs/kit';
import { isLocale, isRespondentLocale, translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import {
	userOfApiToken,
	deleteSessionCookie,
	sessionCookieName,
	validateSessionToken
} from '$lib/server/auth';
import { apiErrors, readLimited } from '$lib/server/http/body';
import { rememberChoice } from './cookies';

export const locale: Handle = async ({ event, resolve }) => {
	const asked = event.url.searchParams.get('lang');
	const saved = event.cookies.get('lang');
	event.locals.locale = isLocale(asked) ? asked : isLocale(saved) ? saved : 'vi';
	// Khmer is a respondent's language only: staff pages stay in Vietnamese for it.
	event.locals.respondentLocale = isRespondentLocale(asked)
		? asked
		: isRespondentLocale(saved)
			? saved
			: event.locals.locale;
	event.locals.display = event.cookies.get('display') === 'large' ? 'large' : 'normal';
	if (isRespondentLocale(asked) && asked !== saved) {
		rememberChoice(event.cookies, 'lang', asked);
	}
	const t = translator(event.locals.locale);
	// The kiosk is rendered in the browser only (ssr = false): its shell gets its title and a
	// note for a browser without JavaScript here, since no component runs on the server.
	const kiosk = event.url.pathname === '/kiosk';
	const head = kiosk ? `<title>${t('kiosk.title')}</title>` : '';
	const body = kiosk ? `<noscript><p>${t('kiosk.noscript')}</p></noscript>` : '';
	return resolve(event, {
		transformPageChunk: ({ html }) =>
			html
				.replace('%lang%', event.locals.lang ?? event.locals.locale)
				.replace('%shell.head%', head)
				.replace('%shell.body%', body)
	});
};

export const session: Handle = async ({ event, resolve }) => {
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
			// Until its gate is passed a session opens that gate page and /logout, nothing else: a
			// password alone must not reach the password or second-factor pages.
			if (gate && path !== gate && path !== '/logout') {
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

export const securityHeaders: Handle = async ({ event, resolve }) => {
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

/** Form posts are small everywhere but on the two pages that take a CSV upload. */
const FORM_LIMIT = 512 * 1024;
const UPLOAD_LIMIT = 6 * 1024 * 1024;
const uploadPaths = new Set(['/entry/import', '/admin/units']);

/**
 * Refuses an oversized body with 413 before anything parses it. adapter-node's BODY_SIZE_LIMIT
 * is set for the largest upload; this keeps every other form (the public survey above all) small.
 */
export const bodyLimit: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return resolve(event);
	const limit = uploadPaths.has(url.pathname) ? UPLOAD_LIMIT : FORM_LIMIT;
	const tooLarge = () =>
		new Response('Nội dung gửi lên quá lớn / Request body too large', {
			status: 413,
			// The unread rest of the body is still on the wire: the client must not reuse this
			// connection for its next request, or that request meets a reset.
			headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }
		});
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > limit) return tooLarge();
	if (Number.isFinite(declared)) return resolve(event);
	// No declared length (chunked): read up to the limit, then hand on a copy of what came.
	const body = await readLimited(request.body, limit);
	if (!body) return tooLarge();
	event.request = new Request(request, { body, duplex: 'half' } as RequestInit);
	return resolve(event);
};

const badRequest = () =>
	new Response('Dữ liệu gửi lên chứa ký tự không hợp lệ / Invalid characters in the request', {
		status: 400,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});

/**
 * A NUL byte can be in no code, id, name or address, and PostgreSQL refuses it in text: caught
 * here, it is a 400 for the whole request instead of a 500 wherever a check was forgotten. The
 * survey form is left to its own checks, which answer the citizen with a message per question.
 */
export const rejectNul: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	if (/%00/i.test(url.pathname + url.search)) return badRequest();
	const type = request.headers.get('content-type') ?? '';
	if (
		request.method === 'POST' &&
		type.startsWith('application/x-www-form-urlencoded') &&
		!url.pathname.startsWith('/s/') &&
		/%00/i.test(await request.clone().text())
	) {
		return badRequest();
	}
	return resolve(event);
};
