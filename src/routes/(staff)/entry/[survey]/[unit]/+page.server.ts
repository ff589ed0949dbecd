import { fail, redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { scaleLabels } from '$lib/components/survey/scale-labels';
import { localDate } from '$lib/survey/periods';
import { surveyView } from '$lib/survey/view';
import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth';
import { log } from '$lib/server/log';
import * as paper from '$lib/server/paper';
import { entryTarget } from '../../entry.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireAccess(locals, url, 'entry');
	const app = useApp();
	const { version, unit } = await entryTarget(app, user, params.survey, params.unit);
	const t = translator(locals.locale);
	// The notice after saving is only shown when that questionnaire really is stored.
	let notice: string | null = null;
	for (const kind of ['saved', 'already'] as const) {
		const serial = paper.normaliseSerial(url.searchParams.get(kind) ?? '').slice(0, 40);
		const id = serial && paper.paperResponseId(version.definition.id, unit.code, serial);
		if (id && (await paper.isStored(app.db, id))) notice = t(`entry.form.${kind}`, { serial });
	}
	const date = url.searchParams.get('date') ?? '';
	return {
		survey: surveyView(version.definition, locals.locale, scaleLabels(t)),
		unit: { code: unit.code, name: locals.locale === 'en' ? unit.nameEn : unit.nameVi },
		notice,
		// A batch of sheets usually shares a date: keep the last one, else today in Viet Nam.
		date: /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : localDate(new Date()),
		fields: { serial: paper.SERIAL, date: paper.DATE, serialMax: paper.SERIAL_MAX }
	};
};

export const actions: Actions = {
	default: async ({ locals, url, params, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'entry');
		const app = useApp();
		const { version, unit, rootUnit } = await entryTarget(app, user, params.survey, params.unit);
		const sheet = paper.readSheet(version, await request.formData());
		const values = { ...sheet.values, [paper.SERIAL]: sheet.serial, [paper.DATE]: sheet.date };
		const t = translator(locals.locale);
		let result: paper.EntryResult;
		try {
			result = await paper.enter(app.db, version, {
				unitCode: unit.code,
				rootUnit,
				sheet,
				actor: { id: user.id, email: user.email },
				client: getClientAddress(),
				locale: locals.locale
			});
		} catch (e) {
			log.error('could not store a paper questionnaire', { error: e });
			return fail(503, { values, errors: [{ field: '', message: t('entry.errors.unavailable') }] });
		}
		if (result.status === 'invalid') return fail(400, { values, errors: result.errors });
		if (result.status === 'conflict') {
			const message = t('entry.errors.conflict', { serial: result.serial });
			return fail(409, { values, errors: [{ field: paper.SERIAL, message }] });
		}
		const kind = result.status === 'stored' ? 'saved' : 'already';
		const query = new URLSearchParams({ [kind]: result.serial, date: sheet.date.trim() });
		redirect(303, `${url.pathname}?${query}`);
	}
};
