import type { RespondentLocale } from '$lib/i18n';
import type { Question, SurveyDefinition } from './definition';
import { isScale } from './kinds';
import { textIn, type Texts } from './in-language';

/** A question as a respondent page shows it: text in one language, options spelled out. */
export interface QuestionView {
	id: string;
	number: number;
	type: Question['type'];
	text: string;
	help: string | null;
	required: boolean;
	/** Options in display order; for scales, value and label of each level. */
	options: { value: string; label: string }[];
	multiple: boolean;
	allowNA: boolean;
	maxLength: number | null;
	showIf: { question: string; in: string[] } | null;
}

export interface SurveyView {
	id: string;
	title: string;
	intro: string;
	sections: { id: string; title: string; description: string | null; questions: QuestionView[] }[];
}

export type ScaleLabels = {
	likert5: Record<string, string>;
	rating3: Record<string, string>;
	na: string;
};

/** Everything in the chosen language, so the page needs no translation library of its own. */
export function surveyView(
	def: SurveyDefinition,
	locale: RespondentLocale,
	scale: ScaleLabels
): SurveyView {
	const t = (text: Texts) => textIn(text, locale);
	let number = 0;
	return {
		id: def.id,
		title: t(def.title),
		intro: t(def.intro),
		sections: def.sections.map((s) => ({
			id: s.id,
			title: t(s.title),
			description: s.description ? t(s.description) : null,
			questions: s.questions.map((q) => ({
				id: q.id,
				number: ++number,
				type: q.type,
				text: t(q.text),
				help: q.help ? t(q.help) : null,
				required: q.required,
				options:
					q.type === 'choice'
						? q.options.map((o) => ({ value: o.value, label: t(o.label) }))
						: isScale(q)
							? Object.entries(scale[q.type]).map(([value, label]) => ({ value, label }))
							: [],
				multiple: q.type === 'choice' && q.multiple,
				allowNA: q.allowNA,
				maxLength: q.type === 'text' ? q.maxLength : null,
				showIf: q.showIf ?? null
			}))
		}))
	};
}
