import { z } from 'zod';
import { answerValues, isScale } from './kinds';

/**
 * Text in both languages: Vietnamese is the source of truth, English complete. Khmer may be
 * given too; citizens see it only once every text of the version has it and an administrator
 * has marked the translation reviewed.
 */
export const localized = z.strictObject({
	vi: z.string().min(1),
	en: z.string().min(1),
	km: z.string().min(1).optional()
});
export type Localized = z.infer<typeof localized>;

const questionId = z
	.string()
	.regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _, starting with a letter');

export const fields = [
	'one_stop',
	'health',
	'education',
	'land',
	'construction',
	'business',
	'other'
] as const;
export const channels = ['kiosk', 'qr', 'paper'] as const;
export type Channel = (typeof channels)[number];

const showIf = z.strictObject({
	question: questionId,
	in: z.array(z.string().min(1)).min(1)
});

const base = {
	id: questionId,
	text: localized,
	help: localized.optional(),
	required: z.boolean().default(false),
	allowNA: z.boolean().default(false),
	showIf: showIf.optional()
};

const option = z.strictObject({
	value: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32'),
	label: localized
});

export const question = z.discriminatedUnion('type', [
	z.strictObject({ ...base, type: z.literal('likert5') }),
	z.strictObject({ ...base, type: z.literal('rating3') }),
	z.strictObject({
		...base,
		type: z.literal('choice'),
		options: z.array(option).min(2),
		multiple: z.boolean().default(false)
	}),
	z.strictObject({ ...base, type: z.literal('percent') }),
	z.strictObject({
		...base,
		type: z.literal('text'),
		maxLength: z.number().int().min(1).max(5000).default(1000)
	})
]);
export type Question = z.infer<typeof question>;
export type QuestionType = Question['type'];

const section = z.strictObject({
	id: questionId,
	title: localized,
	description: localized.optional(),
	questions: z.array(question).min(1)
});
export type Section = z.infer<typeof section>;

const target = z.number().min(0).max(1).optional();
const indicatorBase = { id: questionId, label: localized, target };

export const indicator = z.discriminatedUnion('kind', [
	z.strictObject({
		...indicatorBase,
		kind: z.literal('share_of_respondents'),
		question: questionId
	}),
	z.strictObject({
		...indicatorBase,
		kind: z.literal('share_of_answers'),
		questions: z.array(questionId).min(1)
	}),
	z.strictObject({
		...indicatorBase,
		kind: z.literal('mean_of_item_rates'),
		questions: z.array(questionId).min(1)
	})
]);
export type Indicator = z.infer<typeof indicator>;

export * from './kinds';

export const surveyDefinition = z
	.strictObject({
		$schema: z.string().optional(),
		id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'lower-case letters, digits and -'),
		version: z.number().int().min(1),
		field: z.enum(fields),
		title: localized,
		intro: localized,
		basis: z.string().min(1),
		channels: z.array(z.enum(channels)).min(1),
		sections: z.array(section).min(1),
		indicators: z.array(indicator),
		/** Offer an optional name and phone, behind an unticked consent box stating this purpose. */
		contact: z.strictObject({ purpose: localized }).optional()
	})
	.superRefine((def, ctx) => {
		const seen = new Map<string, Question>();
		def.sections.forEach((s, si) =>
			s.questions.forEach((q, qi) => {
				const path = ['sections', si, 'questions', qi];
				if (seen.has(q.id)) {
					ctx.addIssue({
						code: 'custom',
						path: [...path, 'id'],
						message: `duplicate question id "${q.id}"`
					});
				}
				if (q.showIf) {
					const ref = seen.get(q.showIf.question);
					if (!ref) {
						ctx.addIssue({
							code: 'custom',
							path: [...path, 'showIf', 'question'],
							message: `"${q.showIf.question}" must be a question asked before "${q.id}"`
						});
					} else {
						const allowed = answerValues(ref);
						q.showIf.in.forEach((v, vi) => {
							if (allowed && !allowed.includes(v)) {
								ctx.addIssue({
									code: 'custom',
									path: [...path, 'showIf', 'in', vi],
									message: `"${v}" is not an answer of "${ref.id}" (${allowed.join(', ')})`
								});
							}
						});
					}
				}
				if (q.type === 'choice') {
					const values = q.options.map((o) => o.value);
					if (new Set(values).size !== values.length) {
						ctx.addIssue({
							code: 'custom',
							path: [...path, 'options'],
							message: 'duplicate option value'
						});
					}
				}
				seen.set(q.id, q);
			})
		);
		const indicatorIds = new Set<string>();
		def.indicators.forEach((ind, ii) => {
			if (indicatorIds.has(ind.id)) {
				ctx.addIssue({
					code: 'custom',
					path: ['indicators', ii, 'id'],
					message: `duplicate indicator id "${ind.id}"`
				});
			}
			indicatorIds.add(ind.id);
			const refs = ind.kind === 'share_of_respondents' ? [ind.question] : ind.questions;
			refs.forEach((ref, ri) => {
				const q = seen.get(ref);
				const path =
					ind.kind === 'share_of_respondents'
						? ['indicators', ii, 'question']
						: ['indicators', ii, 'questions', ri];
				if (!q) ctx.addIssue({ code: 'custom', path, message: `unknown question "${ref}"` });
				else if (!isScale(q)) {
					ctx.addIssue({
						code: 'custom',
						path,
						message: `"${ref}" is a ${q.type} question; indicators need likert5 or rating3`
					});
				}
			});
		});
	});

export type SurveyDefinition = z.infer<typeof surveyDefinition>;

export function allQuestions(def: SurveyDefinition): Question[] {
	return def.sections.flatMap((s) => s.questions);
}

/** Ids of the scale questions in definition order: the positions of a response's scores. */
export function scaleQuestionIds(def: SurveyDefinition): string[] {
	return allQuestions(def)
		.filter(isScale)
		.map((q) => q.id);
}
