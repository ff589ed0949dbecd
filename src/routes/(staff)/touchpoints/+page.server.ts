import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { requireAccess, can, inScope, unitsInScope } from '$lib/server/auth';
import * as touchpoints from '$lib/server/touchpoints';
import * as units from '$lib/server/units';
import { actor } from './scoped.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireAccess(locals, url, 'touchpoints');
	const app = useApp();
	const visible = await unitsInScope(app.db, user);
	const unitList = (await units.list(app.db)).filter((u) => !visible || visible.has(u.code));
	const unitName = new Map(
		unitList.map((u) => [u.code, locals.locale === 'en' ? u.nameEn : u.nameVi])
	);
	const list = await touchpoints.listWithin(app.db, visible);
	const admin = can(user, 'admin');
	return {
		admin,
		// Echo only a code the user can see, so a crafted link cannot put words on the page.
		created: list.find((t) => t.code === url.searchParams.get('created'))?.code ?? null,
		touchpoints: list.map((t) => ({
			code: t.code,
			survey: app.surveys.current(t.surveyId)?.definition.title[locals.locale] ?? t.surveyId,
			unit: t.unitCode,
			unitName: unitName.get(t.unitCode) ?? t.unitCode,
			channel: t.channel,
			active: t.active
		})),
		// The creation form is for administrators only; nobody else gets the lists it needs.
		choices: admin
			? {
					units: unitList.map((u) => ({ code: u.code, name: unitName.get(u.code)! })),
					surveys: app.surveys.list().map((v) => ({
						id: v.definition.id,
						title: v.definition.title[locals.locale],
						channels: v.definition.channels
					}))
				}
			: null
	};
};

const creation = z.object({
	unit: z.string().trim().min(1).max(64),
	survey: z.string().trim().min(1).max(64),
	channel: z.enum(['qr', 'kiosk'])
});

const activation = z.object({
	code: z.string().min(1).max(64),
	active: z.enum(['true', 'false']).transform((v) => v === 'true')
});

export const actions: Actions = {
	create: async ({ locals, url, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'admin');
		const app = useApp();
		const t = translator(locals.locale);
		const form = Object.fromEntries(await request.formData());
		const values = {
			unit: String(form.unit ?? ''),
			survey: String(form.survey ?? ''),
			channel: String(form.channel ?? '')
		};
		const parsed = creation.safeParse(values);
		const errors: Record<string, string> = {};
		const survey = parsed.success ? app.surveys.current(parsed.data.survey) : undefined;
		if (!parsed.success || !survey) {
			if (!survey) errors.survey = t('touchpointsAdmin.errors.survey');
			if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === 'channel'))
				errors.channel = t('touchpointsAdmin.errors.channel');
		} else if (!survey.definition.channels.includes(parsed.data.channel)) {
			errors.channel = t('touchpointsAdmin.errors.channelNotOffered');
		}
		// The unit comes from the browser: it must name a unit in this administrator's scope.
		if (!parsed.success || !(await inScope(app.db, user, parsed.data.unit)))
			errors.unit = t('touchpointsAdmin.errors.unit');
		if (Object.keys(errors).length || !parsed.success)
			return fail(400, { action: 'create', values, errors });
		const { unit, channel } = parsed.data;
		const surveyId = survey!.definition.id;
		const code = await app.db.transaction(async (tx) => {
			const made = await touchpoints.create(tx, { surveyId, unitCode: unit, channel });
			await audit(tx, {
				actor: actor(user),
				action: 'touchpoint_created',
				target: made,
				detail: { unit, survey: surveyId, channel },
				client: getClientAddress()
			});
			return made;
		});
		redirect(303, `/touchpoints?created=${code}`);
	},

	setActive: async ({ locals, url, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'admin');
		const app = useApp();
		const t = translator(locals.locale);
		const message = t('touchpointsAdmin.errors.toggle');
		const parsed = activation.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { action: 'setActive', message });
		const touchpoint = await touchpoints.findByCode(app.db, parsed.data.code);
		if (!touchpoint || !(await inScope(app.db, user, touchpoint.unitCode)))
			return fail(404, { action: 'setActive', message });
		await app.db.transaction(async (tx) => {
			if (!(await touchpoints.setActive(tx, touchpoint.id, parsed.data.active))) return;
			await audit(tx, {
				actor: actor(user),
				action: 'touchpoint_changed',
				target: touchpoint.code,
				detail: { active: parsed.data.active },
				client: getClientAddress()
			});
		});
		// Ingest keeps touchpoints for a few seconds; a closed one must stop taking answers now.
		app.touchpointCache.delete(touchpoint.code);
		redirect(303, '/touchpoints');
	}
};
