/** Contact details a respondent chose to leave, with consent (Luật 91/2025/QH15). */
import { lineControls } from './text';
export interface Contact {
	name: string | null;
	phone: string | null;
}

export type ContactErrorCode = 'contact_consent' | 'contact_phone' | 'contact_name';

export type ContactCheck =
	| { ok: true; contact: Contact | null }
	| { ok: false; errors: Partial<Record<'name' | 'phone' | 'consent', ContactErrorCode>> };

/**
 * Name and phone are kept only with the box ticked; without either, nothing is kept whatever the
 * box says. A Vietnamese phone number: 0 or +84 followed by 9–10 digits, spaces and dots allowed.
 */
export function checkContact(raw: {
	name?: string;
	phone?: string;
	consent?: boolean;
}): ContactCheck {
	const name = (raw.name ?? '').normalize('NFC').trim();
	const phone = (raw.phone ?? '').replace(/[\s.-]/g, '');
	if (!name && !phone) return { ok: true, contact: null };
	const errors: Partial<Record<'name' | 'phone' | 'consent', ContactErrorCode>> = {};
	if (!raw.consent) errors.consent = 'contact_consent';
	if (phone && !/^(\+84|0)\d{9,10}$/.test(phone)) errors.phone = 'contact_phone';
	if (name.length > 100 || lineControls.test(name) || !name.isWellFormed())
		errors.name = 'contact_name';
	if (Object.keys(errors).length) return { ok: false, errors };
	return { ok: true, contact: { name: name || null, phone: phone || null } };
}
