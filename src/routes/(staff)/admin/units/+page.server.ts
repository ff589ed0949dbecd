import { fail, redirect } from '@sveltejs/kit';
import { localDate } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth';
import { uploadedText } from '$lib/server/http';
import * as unitsAdmin from '$lib/server/units';
import * as unitsCsv from '$lib/server/units';
import { say, textFields } from './form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	const records = await unitsAdmin.listRecords(useApp().db);
	return {
		today: localDate(new Date()),
		tree: unitsAdmin.buildTree(records),
		parents: records.map((u) => ({
			code: u.code,
			name: locals.locale === 'en' ? u.nameEn : u.nameVi
		})),
		kinds: [...new Set(records.map((u) => u.kind))].sort(),
		saved: url.searchParams.get('saved'),
		// "Add a child here" on a unit's page preselects it as the parent.
		parentDefault: url.searchParams.get('parent')
	};
};

export const actions: Actions = {
	create: async ({ locals, url, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'admin');
		const values = await textFields(request);
		const by = { actor: { id: user.id, email: user.email }, client: getClientAddress() };
		const outcome = await unitsAdmin.create(useApp().db, by, values);
		if (!outcome.ok)
			return fail(400, { action: 'create', values, errors: say(locals.locale, outcome.errors) });
		redirect(303, `/admin/units?saved=${encodeURIComponent(values.code!.trim())}`);
	},

	preview: async ({ locals, url, request }) => {
		requireAccess(locals, url, 'admin');
		const file = await uploadedText(await request.formData(), unitsCsv.MAX_IMPORT_BYTES);
		if ('error' in file)
			return fail(400, { action: 'import', errors: say(locals.locale, { file: file.error }) });
		const plan = await unitsCsv.planImport(useApp().db, file.content);
		if (plan.errors.length) return fail(400, { action: 'import', plan });
		return { action: 'import', plan, content: file.content };
	},

	import: async ({ locals, url, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'admin');
		const file = await uploadedText(await request.formData(), unitsCsv.MAX_IMPORT_BYTES);
		if ('error' in file)
			return fail(400, { action: 'import', errors: say(locals.locale, { file: file.error }) });
		const by = { actor: { id: user.id, email: user.email }, client: getClientAddress() };
		const plan = await unitsCsv.applyImport(useApp().db, by, file.content);
		if (plan.errors.length) return fail(400, { action: 'import', plan });
		return {
			action: 'imported',
			imported: { created: plan.created.length, changed: plan.changed.length }
		};
	}
};
