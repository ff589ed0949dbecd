import type { Cookies } from '@sveltejs/kit';

/** Language and text size are remembered on the device, readable without a session. */
export function rememberChoice(cookies: Cookies, name: 'lang' | 'display', value: string) {
	cookies.set(name, value, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		maxAge: 365 * 24 * 3600
	});
}
