import { error, fail, redirect } from '@sveltejs/kit';
import { translator, type Translate } from '$lib/i18n';
import { isLow } from '$lib/survey/kinds';
import { allQuestions, isScale } from '$lib/survey/definition';
import { localDate } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, requireUnitInScope, can } from '$lib/server/auth';
import * as followUp from '$lib/server/follow-up';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const notFound = 'Không tìm thấy trang / Not found';

const reasons = ['step', 'changed', 'answer_required', 'too_long', 'chars'];

/** What the user reads for a refused step: the schema's or the move's reason, else "invalid". */
const errorText = (t: Translate, reason: string | undefined) =>
	t(`cases.case.errors.${reasons.includes(reason ?? '') ? reason : 'invalid'}`);

/** The case of the path, if it exists and lies in the user's subtree; else 404. */
async function caseInScope(event: Pick<RequestEvent, 'locals' | 'url' | 'params'>) {
	const user = requireAccess(event.locals, event.url, 'results');
	if (!/^[1-9]\d{0,15}$/.test(event.params.id)) error(404, notFound);
	const app = useApp();
	const found = await followUp.get(app.db, Number(event.params.id), app.config.FOLLOW_UP_DAYS);
	if (!found) error(404, notFound);
	await requireUnitInScope(app.db, user, found.unitCode);
	return { user, app, found };
}

export const load: PageServerLoad = async (event) => {
	const { user, app, found } = await caseInScope(event);
	const { locals, url } = event;
	const t = translator(locals.locale);
	const version = app.surveys.byVersionId(found.surveyVersionId);
	const ratings = version
		? allQuestions(version.definition)
				.filter(isScale)
				.filter((q) => found.answers[q.id] !== undefined)
				.map((q) => {
					const value = found.answers[q.id];
					return {
						id: q.id,
						text: q.text[locals.locale],
						answer:
							typeof value === 'number'
								? `${value} — ${t(`scale.${q.type}.${value}`)}`
								: t('scale.na'),
						low: typeof value === 'number' && isLow(q.type, value)
					};
				})
		: [];
	const canAct = can(user, 'followup');
	return {
		locale: locals.locale,
		canAct,
		saved: url.searchParams.has('saved'),
		case: {
			id: found.id,
			status: found.status,
			overdue: found.overdue,
			unitName: locals.locale === 'en' ? found.unitNameEn : found.unitNameVi,
			survey: version?.definition.title[locals.locale] ?? found.surveyId,
			localDate: found.localDate,
			channel: found.channel,
			channelName: t(`channels.${found.channel}`),
			openedAt: localDate(new Date(found.openedAt)),
			dueAt: localDate(new Date(found.dueAt)),
			comment: found.comment,
			actionTaken: found.actionTaken,
			reply: found.reply,
			// Phone numbers go only to those who answer complaints, never to analysts' screens.
			contact: canAct ? found.contact : null,
			hasContact: found.contact !== null,
			events: found.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() }))
		},
		ratings
	};
};

export const actions: Actions = {
	move: async (event) => {
		const { user, app, found } = await caseInScope(event);
		if (!can(user, 'followup')) error(404, notFound);
		const t = translator(event.locals.locale);
		const form = Object.fromEntries(
			[...(await event.request.formData())].filter(([, v]) => typeof v === 'string')
		);
		const parsed = followUp.caseStep.safeParse(form);
		const values = {
			actionTaken: String(form.actionTaken ?? ''),
			reply: String(form.reply ?? '')
		};
		if (!parsed.success) {
			const reason = parsed.error.issues[0]?.message;
			return fail(400, { values, message: errorText(t, reason) });
		}
		const moved = await followUp.move(app.db, {
			id: found.id,
			...parsed.data,
			actor: { id: user.id, email: user.email },
			client: event.getClientAddress()
		});
		if (!moved.ok) {
			if (moved.reason === 'not_found') error(404, notFound);
			return fail(moved.reason === 'changed' ? 409 : 400, {
				values,
				message: errorText(t, moved.reason)
			});
		}
		redirect(303, `/cases/${found.id}?saved`);
	}
};
