import type { Translate } from '$lib/i18n';
import type { RateLimiter } from '../http/rate-limit';

/**
 * Null while `key` may still guess (a password, a second-factor code); once its wrong guesses
 * have used up the limiter's window, the message to refuse with, saying how many minutes to wait.
 * Guesses made from a session are throttled like sign-in itself.
 */
export function guessLimitMessage(limiter: RateLimiter, key: string, t: Translate): string | null {
	if (!limiter.exhausted(key)) return null;
	return t('login.throttled', { minutes: Math.ceil(limiter.retryAfter(key) / 60) });
}
