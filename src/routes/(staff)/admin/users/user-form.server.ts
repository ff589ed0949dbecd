import { z } from 'zod';
import type { Translate } from '$lib/i18n';
import type { Queryable } from '$lib/server/db';
import { roles, type Role } from '$lib/server/auth';
import * as units from '$lib/server/units';

export type Field = 'email' | 'name' | 'role' | 'unit';
export type Errors = Partial<Record<Field, string>>;

/** What the form sends back when it has to be shown again. */
export interface Values {
	email: string;
	name: string;
	role: string;
	unit: string;
}

const fields = z.object({
	email: z.string().trim().max(254).pipe(z.email()),
	name: z.string().trim().max(120),
	role: z.enum(roles),
	unit: z.string().trim().max(64)
});

/** Managers and clerks act for one unit's subtree; administrators and analysts for all. */
export function needsUnit(role: Role) {
	return role === 'manager' || role === 'clerk';
}

export function valuesOf(form: FormData): Values {
	const text = (k: string) => {
		const v = form.get(k);
		return typeof v === 'string' ? v.slice(0, 300) : '';
	};
	return { email: text('email'), name: text('name'), role: text('role'), unit: text('unit') };
}

/**
 * Checks a user form: the email (only when `withEmail`), the role, and a unit that exists when the
 * role needs one. Returns every problem at once, so one resubmission can fix them all.
 */
export async function readUserForm(
	db: Queryable,
	values: Values,
	t: Translate,
	withEmail: boolean
): Promise<
	| { ok: true; email: string; name: string | null; role: Role; unitCode: string | null }
	| { ok: false; errors: Errors }
> {
	const errors: Errors = {};
	// An account's email is fixed once made: the edit form has none, so none is checked.
	const parsed = (withEmail ? fields : fields.extend({ email: z.string() })).safeParse(values);
	const issues = parsed.success ? [] : parsed.error.issues;
	for (const issue of issues) {
		const field = issue.path[0] as Field;
		errors[field] ??= t(`users.errors.${field}`);
	}
	if (!parsed.success) return { ok: false, errors };
	const { role, unit } = parsed.data;
	let unitCode: string | null = null;
	if (needsUnit(role)) {
		if (!unit) errors.unit = t('users.errors.unitRequired');
		else if (!(await units.get(db, unit))) errors.unit = t('users.errors.unitUnknown');
		else unitCode = unit;
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, email: parsed.data.email, name: parsed.data.name || null, role, unitCode };
}

/** The units for the select list, by code, named in the page's language. */
export async function unitChoices(db: Queryable, locale: 'vi' | 'en') {
	return (await units.list(db)).map((u) => ({
		code: u.code,
		name: locale === 'en' ? u.nameEn : u.nameVi
	}));
}
