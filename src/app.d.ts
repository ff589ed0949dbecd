import type { SessionUser } from '$lib/server/auth';
import type { Locale, RespondentLocale } from '$lib/i18n';
import type { ServerFailure } from '$lib/server/http';

declare global {
	namespace App {
		interface Locals {
			locale: Locale;
			/** The language a citizen asked for: Khmer too, honoured where the survey offers it. */
			respondentLocale?: RespondentLocale;
			/** The page's language for <html lang>, when a page answers in another than `locale`. */
			lang?: RespondentLocale;
			/** Respondent pages: larger text and high contrast, remembered in a cookie. */
			display: 'normal' | 'large';
			user: SessionUser | null;
			sessionId: string | null;
			/** The user came with an API token (read-only), not a session. */
			viaToken: boolean;
			/** Set by handleError: the id and message of an unexpected failure in this request. */
			failure?: ServerFailure;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
