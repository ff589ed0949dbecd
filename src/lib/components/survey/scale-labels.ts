import type { Translate } from '$lib/i18n';
import type { ScaleLabels } from '$lib/survey/view';

const levels = (t: Translate, scale: 'likert5' | 'rating3', n: number) =>
	Object.fromEntries(
		Array.from({ length: n }, (_, i) => [String(i + 1), t(`scale.${scale}.${i + 1}`)])
	);

/** The words of each scale level, for surveyView, in the translator's language. */
export function scaleLabels(t: Translate): ScaleLabels {
	return { likert5: levels(t, 'likert5', 5), rating3: levels(t, 'rating3', 3), na: t('scale.na') };
}
