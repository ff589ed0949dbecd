import { describe, expect, it } from 'vitest';
import { IDLE_COUNTDOWN_S, idleStep } from './kiosk.svelte';

describe('idleStep', () => {
	it('asks after the idle time, counts down, then lets the respondent go', () => {
		expect(idleStep(44_999, 45)).toEqual({ ask: false });
		expect(idleStep(45_000, 45)).toEqual({ ask: true, left: IDLE_COUNTDOWN_S });
		expect(idleStep(45_999, 45)).toEqual({ ask: true, left: IDLE_COUNTDOWN_S });
		expect(idleStep(46_000, 45)).toEqual({ ask: true, left: IDLE_COUNTDOWN_S - 1 });
		expect(idleStep(45_000 + (IDLE_COUNTDOWN_S - 1) * 1000, 45)).toEqual({ ask: true, left: 1 });
		expect(idleStep(45_000 + IDLE_COUNTDOWN_S * 1000, 45)).toEqual({ expired: true });
		expect(idleStep(10_000, 10)).toEqual({ ask: true, left: IDLE_COUNTDOWN_S });
	});
});
