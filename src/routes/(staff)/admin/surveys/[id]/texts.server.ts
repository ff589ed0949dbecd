import { fail, redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import type { App } from '$lib/server/app';
import type { SessionUser } from '$lib/server/auth';
import { uploadedText } from '$lib/server/http';
import { translations } from '$lib/server/surveys';
import type { SurveyDefinition } from '$lib/survey/definition';

// The Khmer translation of a survey version: a translator's file imported, and the
// administrator's mark that a native speaker checked it, without which citizens never see it.

interface Context {
	user: SessionUser;
	app: App;
	def: SurveyDefinition;
	request: Request;
	client: string;
	locale: 'vi' | 'en';
}

const back = (def: SurveyDefinition, done: string) =>
	redirect(303, `/admin/surveys/${encodeURIComponent(def.id)}?done=${done}#texts-title`);

export async function importTexts({ user, app, def, request, client, locale }: Context) {
	const t = translator(locale);
	const file = await uploadedText(await request.formData(), translations.MAX_TEXTS_BYTES);
	if ('error' in file)
		return fail(400, {
			action: 'texts',
			problems: [],
			fileError: t(`surveyTexts.errors.${file.error}`)
		});
	const by = { actor: { id: user.id, email: user.email }, client };
	const outcome = await translations.importTexts(app.db, by, def, file.content);
	if (!outcome.ok)
		return fail(400, {
			action: 'texts',
			fileError: null,
			problems: outcome.problems.map((p) => ({
				row: p.row,
				id: p.id,
				message: t(`surveyTexts.errors.${p.key}`)
			}))
		});
	back(def, 'imported');
}

export async function review({ user, app, def, client, locale }: Context, reviewed: boolean) {
	if (reviewed) {
		const state = await translations.khmerState(app.db, def);
		if (state.translated < state.total) {
			const t = translator(locale);
			const message = t('surveyTexts.errors.incomplete', {
				n: state.translated,
				total: state.total
			});
			return fail(400, { action: 'review', problems: [], fileError: message });
		}
	}
	await translations.setReviewed(
		app.db,
		{ actor: { id: user.id, email: user.email }, client },
		def,
		reviewed
	);
	back(def, reviewed ? 'reviewed' : 'unreviewed');
}
