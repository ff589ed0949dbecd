import { error, fail, redirect } from '@sveltejs/kit';
import { localDate } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, requireUnitInScope } from '$lib/server/auth';
import * as unitsAdmin from '$lib/server/units';
import { say, textFields } from '../form.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireAccess(locals, url, 'admin');
	const db = useApp().db;
	await requireUnitInScope(db, user, params.code);
	const unit = await unitsAdmin.getRecord(db, params.code);
	if (!unit) error(404, 'Không tìm thấy trang / Not found');
	const records = await unitsAdmin.listRecords(db);
	const below = await unitsAdmin.subtreeCodes(db, unit.code);
	const name = (u: unitsAdmin.UnitRecord) => (locals.locale === 'en' ? u.nameEn : u.nameVi);
	return {
		today: localDate(new Date()),
		unit,
		parent: records.find((u) => u.code === unit.parentCode) ?? null,
		children: records
			.filter((u) => u.parentCode === unit.code)
			.map((u) => ({ ...u, name: name(u) })),
		// A unit may move anywhere except under itself or its own sub-units.
		parents: records
			.filter((u) => !below.has(u.code))
			.map((u) => ({ code: u.code, name: name(u) })),
		saved: url.searchParams.has('saved')
	};
};

type Change = (
	db: Parameters<typeof unitsAdmin.rename>[0],
	by: unitsAdmin.By,
	code: string,
	values: Record<string, string>
) => Promise<unitsAdmin.Outcome>;

/** One edit action: guard, unit in scope, change, then back to the page (or the form refilled). */
function action(name: string, change: Change) {
	return async ({ locals, url, params, request, getClientAddress }: RequestEvent) => {
		const user = requireAccess(locals, url, 'admin');
		const db = useApp().db;
		await requireUnitInScope(db, user, params.code);
		const values = await textFields(request);
		const by = { actor: { id: user.id, email: user.email }, client: getClientAddress() };
		const outcome = await change(db, by, params.code, values);
		if (!outcome.ok)
			return fail(400, { action: name, values, errors: say(locals.locale, outcome.errors) });
		redirect(303, `/admin/units/${encodeURIComponent(params.code)}?saved`);
	};
}

export const actions: Actions = {
	rename: action('rename', unitsAdmin.rename),
	move: action('move', unitsAdmin.move),
	deactivate: action('deactivate', unitsAdmin.deactivate),
	reactivate: action('reactivate', (db, by, code) => unitsAdmin.reactivate(db, by, code))
};
