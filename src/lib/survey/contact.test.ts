import { describe, expect, it } from 'vitest';
import { checkContact } from './contact';

describe('contact details', () => {
	it('keeps nothing when nothing is given, ticked or not', () => {
		expect(checkContact({ consent: true })).toEqual({ ok: true, contact: null });
		expect(checkContact({ name: ' ', phone: '' })).toEqual({ ok: true, contact: null });
	});

	it('refuses a phone number without consent', () => {
		expect(checkContact({ phone: '0912 345 678' })).toEqual({
			ok: false,
			errors: { consent: 'contact_consent' }
		});
	});

	it('keeps a normalised name and phone with consent', () => {
		expect(
			checkContact({
				name: 'Nguye\u0302\u0303n Va\u0306n A',
				phone: '+84 912.345.678',
				consent: true
			})
		).toEqual({
			ok: true,
			contact: { name: 'Nguyễn Văn A', phone: '+84912345678' }
		});
	});

	it('refuses a malformed phone or name', () => {
		expect(checkContact({ phone: '12345', consent: true })).toEqual({
			ok: false,
			errors: { phone: 'contact_phone' }
		});
		expect(checkContact({ name: 'x'.repeat(101), consent: true })).toEqual({
			ok: false,
			errors: { name: 'contact_name' }
		});
		expect(checkContact({ name: 'a\nb', consent: true })).toEqual({
			ok: false,
			errors: { name: 'contact_name' }
		});
	});
});
