import { z } from 'zod';
import { translator } from '$lib/i18n';
import { isIsoDate } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { auditActions, listAudit } from '$lib/server/audit';
import { requireAccess } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

const PAGE = 100;
const date = z
	.string()
	.refine(isIsoDate)
	.optional()
	.or(z.literal('').transform(() => undefined));
const filter = z.object({
	action: z
		.enum(auditActions)
		.optional()
		.or(z.literal('').transform(() => undefined)),
	actor: z.string().max(254).optional(),
	from: date,
	to: date,
	before: z.coerce.number().int().positive().optional()
});

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	const asked = Object.fromEntries(url.searchParams);
	const parsed = filter.safeParse(asked);
	const base = { actions: auditActions, asked };
	if (!parsed.success) {
		const problem = translator(locals.locale)('audit.invalid');
		return { ...base, problem, entries: [], older: null };
	}
	const entries = await listAudit(useApp().db, { ...parsed.data, limit: PAGE });
	const last = entries.at(-1);
	const older =
		entries.length === PAGE && last
			? `?${new URLSearchParams({ ...asked, before: last.id })}`
			: null;
	return {
		...base,
		problem: null,
		older,
		entries: entries.map((e) => ({
			...e,
			at: e.at.toISOString(),
			detail: Object.keys(e.detail).length ? JSON.stringify(e.detail) : ''
		}))
	};
};
