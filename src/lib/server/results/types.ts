import type { Channel } from '$lib/survey/definition';
import type { DateRange } from '$lib/survey/periods';
import type { IndicatorResult, QuestionResult } from '$lib/survey/scoring';

export type GroupBy = 'unit' | 'month' | 'quarter';

export interface ResultsQuery {
	surveyId: string;
	unitCode: string;
	range: DateRange;
	groupBy?: GroupBy;
	/** Count responses flagged as suspected duplicates too (left out by default). */
	includeFlagged?: boolean;
	/** Only the responses that came through one channel. */
	channel?: Channel;
}

export interface ResultGroup {
	key: string;
	responses: number;
	indicators: IndicatorResult[];
}

export interface Results {
	survey: string;
	unit: string;
	from: string;
	to: string;
	timezone: string;
	responses: number;
	/** Responses in scope left out of every figure because they are flagged (e.g. duplicates). */
	excluded: number;
	indicators: IndicatorResult[];
	questions: QuestionResult[];
	groups?: ResultGroup[];
}

/** The results with each channel's figures beside them, for the dashboard's breakdown. */
export interface ResultsByChannel extends Results {
	/** One entry per channel that has responses, in the order of `channels`. */
	channels: (ResultGroup & { key: Channel })[];
}
