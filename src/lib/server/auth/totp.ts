import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { createTOTPKeyURI, generateHOTP } from '@oslojs/otp';
import { decodeBase32IgnorePadding, encodeBase32NoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import QRCode from 'qrcode';

const PERIOD = 30;
const DIGITS = 6;
const ISSUER = 'Hài Lòng';
const PENDING_COOKIE = 'mfa_pending';

/** A fresh 160-bit TOTP key, the size RFC 4226 recommends for HMAC-SHA1. */
export function generateTotpKey(): Uint8Array {
	return crypto.getRandomValues(new Uint8Array(20));
}

/** The key as authenticator apps expect it typed in: base32, grouped by four for reading. */
export function formatTotpKey(key: Uint8Array): string {
	return encodeBase32NoPadding(key)
		.replace(/(.{4})/g, '$1 ')
		.trim();
}

export function totpUri(email: string, key: Uint8Array): string {
	return createTOTPKeyURI(ISSUER, email, key, PERIOD, DIGITS);
}

/** The otpauth URI as an SVG QR code; the markup comes from the qrcode package, not from users. */
export function totpQrSvg(uri: string): Promise<string> {
	return QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/**
 * The 30-second step whose code this is: the current step or one either side (clock drift);
 * null when it matches none.
 */
export function matchTotpStep(key: Uint8Array, code: string, now = Date.now()): number | null {
	const digits = code.replace(/\s/g, '');
	if (!/^\d{6}$/.test(digits)) return null;
	const current = Math.floor(now / 1000 / PERIOD);
	const given = new TextEncoder().encode(digits);
	for (const step of [current - 1, current, current + 1]) {
		const expected = new TextEncoder().encode(generateHOTP(key, BigInt(step), DIGITS));
		if (constantTimeEqual(expected, given)) return step;
	}
	return null;
}

export function verifyTotpCode(key: Uint8Array, code: string, now = Date.now()): boolean {
	return matchTotpStep(key, code, now) !== null;
}

/**
 * The key being enrolled waits in a short-lived cookie scoped to the enrolment page, bound to the
 * user it was made for: it is that user's own secret in that user's browser, and it never reaches
 * the database before a code proves the authenticator holds it.
 */
export function readPendingKey(cookies: Cookies, userId: string): Uint8Array | null {
	const value = cookies.get(PENDING_COOKIE);
	const [owner, encoded] = value?.split('.') ?? [];
	if (owner !== userId || !encoded || !/^[A-Z2-7]{32}$/.test(encoded)) return null;
	return decodeBase32IgnorePadding(encoded);
}

export function setPendingKey(cookies: Cookies, userId: string, key: Uint8Array, secure: boolean) {
	cookies.set(PENDING_COOKIE, `${userId}.${encodeBase32NoPadding(key)}`, {
		path: '/account/mfa',
		httpOnly: true,
		sameSite: 'strict',
		secure,
		maxAge: 15 * 60
	});
}

export function clearPendingKey(cookies: Cookies, secure: boolean) {
	cookies.delete(PENDING_COOKIE, { path: '/account/mfa', secure });
}
