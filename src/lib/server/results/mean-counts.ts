import type { SurveyDefinition } from '$lib/survey/definition';
import type { SurveyVersion } from '../surveys';

export type MeanIndicator = Extract<
	SurveyDefinition['indicators'][number],
	{ kind: 'mean_of_item_rates' }
>;

/**
 * One SQL condition per mean_of_item_rates indicator: the response (alias r) has at least one
 * valid answer (> 0; 0 is N/A) among its questions. Positions differ between survey versions,
 * hence the CASE. The SQL holds only integers computed here from the definitions.
 */
export function meanConditions(indicators: MeanIndicator[], versions: SurveyVersion[]): string[] {
	return indicators.map((ind) => {
		const cases = versions.map((v) => {
			const positions = ind.questions
				.map((id) => v.scaleQuestions.indexOf(id) + 1)
				.filter((p) => p > 0);
			if (!Number.isInteger(v.versionId) || !positions.every(Number.isInteger)) {
				throw new Error('non-integer position');
			}
			const test = positions.length
				? positions.map((p) => `r.scores[${p}] > 0`).join(' or ')
				: 'false';
			return `when ${v.versionId} then (${test})`;
		});
		return cases.length ? `case r.survey_version_id ${cases.join(' ')} else false end` : 'false';
	});
}
