import type { Translate } from '$lib/i18n';
import { apiErrors, type BodyProblem } from './body';

/**
 * The API's answer to a JSON body `readJson` could not read: 413 when it is too large, 400 when
 * it is not UTF-8 or not JSON, with the reason in the caller's language.
 */
export function refuseBody(problem: BodyProblem, t: Translate): Response {
	const status = problem === 'body_too_large' ? 413 : 400;
	return apiErrors(status, [{ path: '', message: t(`errors.${problem}`) }]);
}
