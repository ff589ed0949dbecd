import type { SessionUser } from '$lib/server/auth/session';
import type { Locale } from '$lib/i18n';

declare global {
	namespace App {
		interface Locals {
			locale: Locale;
			user: SessionUser | null;
			sessionId: string | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
