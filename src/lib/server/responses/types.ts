import type { AnswerError, Answers } from '$lib/survey/answers';
import type { Contact } from '$lib/survey/contact';
import type { Channel } from '$lib/survey/definition';
import type { RespondentLocale } from '$lib/i18n';
import type { SurveyVersion } from '../surveys';
import type { Touchpoint } from '../touchpoints';

export interface Submission {
	id: string;
	touchpoint: Pick<Touchpoint, 'id' | 'code' | 'surveyId' | 'unitCode' | 'rootUnit' | 'channel'>;
	/** The device's clock when the citizen answered; null for a form posted straight to us. */
	reportedAt: Date | null;
	receivedAt: Date;
	locale: RespondentLocale;
	answers: unknown;
	/** The client's fingerprint of the day (public links only), to flag repeated answers. */
	clientHash?: string | null;
	/** A one-time receipt token, consumed together with the response. */
	receiptToken?: string | null;
	/** Name and phone given with consent, stored with the response but apart from its answers. */
	contact?: (Contact & { purpose: string }) | null;
	/** The survey version answered, when not the current one (a kiosk mid-respondent). */
	version?: SurveyVersion;
	/** What a respondent answered before walking away: stored, flagged, left out of results. */
	partial?: boolean;
}

export type StoreResult =
	| { status: 'stored' | 'duplicate'; id: string }
	| { status: 'conflict'; id: string }
	| { status: 'token_used' }
	| { status: 'invalid'; errors: AnswerError[] };

/** A row ready for the responses table: validated, normalised and dated. */
export interface ResponseRow {
	id: string;
	surveyId: string;
	surveyVersionId: number;
	touchpointId: number | null;
	unitCode: string;
	rootUnit: string;
	channel: Channel;
	locale: RespondentLocale;
	reportedAt: Date | null;
	receivedAt: Date;
	effectiveAt: Date;
	localDate: string;
	answers: Answers;
	scores: (number | null)[];
	contentHash: string;
	/** The text answers joined, for the comments list; null when there are none. */
	comment: string | null;
	/** Any scale answer "Không hài lòng" or worse: with a comment or contact, a follow-up case. */
	lowRating: boolean;
}
