import { generateTOTP } from '@oslojs/otp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateTemporaryPassword, homeFor, landingFor } from './accounts';
import { formatTotpKey, generateTotpKey, totpUri, verifyTotpCode } from './totp';

afterEach(() => vi.useRealTimers());

/** The code an authenticator shows `steps` 30-second steps away from now. */
function codeAt(key: Uint8Array, steps: number) {
	const now = Date.now();
	vi.setSystemTime(now + steps * 30_000);
	const code = generateTOTP(key, 30, 6);
	vi.setSystemTime(now);
	return code;
}

describe('TOTP codes', () => {
	it('accepts the current step and one step either side, not two', () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-03-01T08:00:10Z'));
		const key = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
		const codes = [-2, -1, 0, 1, 2].map((s) => codeAt(key, s));
		expect(new Set(codes).size).toBe(5);
		expect(codes.map((c) => verifyTotpCode(key, c))).toEqual([false, true, true, true, false]);
		expect(verifyTotpCode(key, `${codes[2]!.slice(0, 3)} ${codes[2]!.slice(3)}`)).toBe(true);
		expect(generateTotpKey()).toHaveLength(20);
	});

	it('refuses anything that is not six digits', () => {
		const key = generateTotpKey();
		for (const code of ['', '12345', '1234567', 'abcdef', '12345a', '١٢٣٤٥٦'])
			expect(verifyTotpCode(key, code)).toBe(false);
	});

	it('describes the key for authenticator apps', () => {
		const key = new Uint8Array(20);
		expect(totpUri('a@b.vn', key)).toMatch(
			/^otpauth:\/\/totp\/H%C3%A0i%20L%C3%B2ng:a%40b\.vn\?.*secret=A{32}.*period=30.*digits=6/
		);
		expect(formatTotpKey(key)).toBe('AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA');
	});
});

describe('accounts', () => {
	it('makes temporary passwords of 16 unambiguous random characters', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 50; i++) {
			const p = generateTemporaryPassword();
			expect(p).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
			expect(p).not.toMatch(/[01ilo]/);
			seen.add(p);
		}
		expect(seen.size).toBe(50);
	});

	it('lands clerks on paper entry and follows only same-site paths', () => {
		expect(homeFor({ role: 'clerk' })).toBe('/entry');
		expect(homeFor({ role: 'analyst' })).toBe('/dashboard');
		expect(landingFor({ role: 'clerk' }, '/entry/import')).toBe('/entry/import');
		for (const target of ['//evil.example', '/\\evil.example', 'javascript:alert(1)', 'https://x'])
			expect(landingFor({ role: 'clerk' }, target)).toBe('/entry');
	});
});
