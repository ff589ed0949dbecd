import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { numbersSurvey } from '$tests/helpers/fixtures';
import { answer, touchpointAt } from '$tests/helpers/responses';
import { staffUser } from '$tests/helpers/staff';
import { addSurvey, startTestApp } from '$tests/helpers/test-app';
import { parsePeriod } from '$lib/survey/periods';
import type { App } from '../app';
import { listAudit } from '../audit';
import { sql } from '../db';
import * as results from '.';
import * as targets from './targets';
import type { By } from '../units';

let app: App;
let by: By;
const Q3 = parsePeriod('2018-Q3')!;

const override = (o: Partial<targets.TargetOverride>): targets.TargetOverride => ({
	id: 1,
	surveyId: 's',
	indicatorId: 'overall',
	unitCode: 'AG',
	validFrom: '2018-01-01',
	validTo: '2018-12-31',
	target: 0.9,
	createdBy: null,
	createdAt: '',
	...o
});

describe('which override applies (pure)', () => {
	const chain = ['AG.LX.BD', 'AG.LX', 'AG'];
	it('takes the nearest ancestor, then the latest valid_from, then the latest set', () => {
		const all = [
			override({ id: 1, unitCode: 'AG', target: 0.7 }),
			override({ id: 2, unitCode: 'AG.LX', target: 0.8, validFrom: '2018-01-01' }),
			override({ id: 3, unitCode: 'AG.LX', target: 0.81, validFrom: '2018-06-01' }),
			override({ id: 4, unitCode: 'AG.LX', target: 0.82, validFrom: '2018-06-01' })
		];
		expect(targets.pick(all, chain, Q3, 'overall')?.id).toBe(4);
		expect(targets.pick(all.slice(0, 3), chain, Q3, 'overall')?.id).toBe(3);
		expect(targets.pick(all.slice(0, 1), chain, Q3, 'overall')?.id).toBe(1);
	});

	it('ignores overrides of other units, other indicators, or not covering the whole range', () => {
		const all = [
			override({ unitCode: 'AG.CD' }),
			override({ indicatorId: 'pooled' }),
			override({ validFrom: '2018-07-02' }),
			override({ validTo: '2018-09-29' })
		];
		expect(targets.pick(all, chain, Q3, 'overall')).toBeUndefined();
		const resolve = targets.resolver(all, chain, Q3);
		expect(resolve({ id: 'overall', target: 0.85 } as never)).toBe(0.85);
	});
});

beforeAll(async () => {
	app = await startTestApp();
	await addSurvey(app, numbersSurvey);
	const admin = await staffUser(app, 'admin');
	by = { actor: { id: admin.id, email: admin.email }, client: '192.0.2.1' };
	// 20 answers to q1 in July 2018 at a ward of Long Xuyên, 18 satisfied: Wilson 95 % interval
	// [0.69897, 0.97213] (computed by hand); the default target 0.85 lies inside it.
	const ward = await touchpointAt(app, 'test-numbers', 'AG.LX.BD');
	for (let i = 0; i < 20; i++)
		await answer(app, ward, `2018-07-${String(i + 1).padStart(2, '0')}T02:00:00Z`, {
			q1: i < 18 ? 5 : 2
		});
});
afterAll(() => app.db.close());
beforeEach(async () => {
	await app.db.query(sql`delete from target_overrides`);
});

const overall = async (unitCode: string, extra: Partial<results.ResultsQuery> = {}) => {
	const r = await results.forUnit(
		app.db,
		app.surveys,
		{ surveyId: 'test-numbers', unitCode, range: Q3, ...extra },
		{ full: true }
	);
	return { r, ind: r.indicators.find((i) => i.id === 'overall')! };
};
const set = async (
	unit: string,
	target: string,
	validFrom = '2018-01-01',
	validTo = '2018-12-31'
) => {
	const out = await targets.add(app.db, app.surveys, by, 'test-numbers', {
		indicator: 'overall',
		unit,
		validFrom,
		validTo,
		target
	});
	expect(out.ok).toBe(true);
};

describe('results with target overrides', () => {
	it('uses the definition target when there is no override: inconclusive at 85 %', async () => {
		const { ind } = await overall('AG.LX');
		expect([ind.n, ind.satisfied]).toEqual([20, 18]);
		expect(ind.ciLow).toBeCloseTo(0.698966, 6);
		expect(ind.ciHigh).toBeCloseTo(0.972134, 6);
		expect([ind.target, ind.status]).toEqual([0.85, 'inconclusive']);
	});

	it('applies an override on AG to AG.LX: 69 % is met', async () => {
		await set('AG', '69');
		const { ind } = await overall('AG.LX');
		expect([ind.target, ind.status]).toEqual([0.69, 'met']);
	});

	it('a deeper override on AG.LX wins over AG: 97.5 % is not met', async () => {
		await set('AG', '69');
		await set('AG.LX', '97,5');
		expect((await overall('AG.LX')).ind).toMatchObject({ target: 0.975, status: 'not_met' });
		expect((await overall('AG.LX.BD')).ind).toMatchObject({ target: 0.975, status: 'not_met' });
		// The province itself still uses its own override.
		expect((await overall('AG')).ind).toMatchObject({ target: 0.69, status: 'met' });
	});

	it('ignores an override that does not cover the whole queried period', async () => {
		await set('AG', '69');
		await set('AG.LX', '97.5', '2018-07-01', '2018-08-31');
		expect((await overall('AG.LX')).ind).toMatchObject({ target: 0.69, status: 'met' });
	});

	it('gives each unit group the target of its own unit', async () => {
		await set('AG', '69');
		await set('AG.LX', '97.5');
		const { r, ind } = await overall('AG', { groupBy: 'unit' });
		expect(ind.status).toBe('met');
		const lx = r
			.groups!.find((g) => g.key === 'AG.LX')!
			.indicators.find((i) => i.id === 'overall')!;
		expect([lx.target, lx.status]).toEqual([0.975, 'not_met']);
		const cd = r
			.groups!.find((g) => g.key === 'AG.CD')!
			.indicators.find((i) => i.id === 'overall')!;
		expect(cd.target).toBe(0.69);
	});

	it('gives each month group the target for that month', async () => {
		await set('AG', '69', '2018-07-01', '2018-07-31');
		const { r, ind } = await overall('AG', { groupBy: 'month' });
		expect([ind.target, ind.status]).toEqual([0.85, 'inconclusive']);
		const july = r.groups!.find((g) => g.key === '2018-07')!.indicators[0]!;
		expect([july.id, july.target, july.status]).toEqual(['overall', 0.69, 'met']);
		const aug = r.groups!.find((g) => g.key === '2018-08')!.indicators[0]!;
		expect(aug.target).toBe(0.85);
	});
});

describe('adding and removing overrides', () => {
	const attempt = (input: Record<string, string>) =>
		targets.add(app.db, app.surveys, by, 'test-numbers', {
			indicator: 'overall',
			unit: 'AG',
			validFrom: '2018-01-01',
			validTo: '2018-12-31',
			target: '90',
			...input
		});

	it.each([
		[{ target: '0.5' }, 'target'],
		[{ target: '101' }, 'target'],
		[{ target: '90.25' }, 'target'],
		[{ target: 'abc' }, 'target'],
		[{ validFrom: '2018-02-30' }, 'validFrom'],
		[{ validFrom: '2019-01-01' }, 'validTo'],
		[{ indicator: 'nope' }, 'indicator'],
		[{ unit: 'AG.NOPE' }, 'unit']
	])('refuses %o and stores nothing', async (input, field) => {
		const out = await attempt(input);
		expect(out.ok).toBe(false);
		if (!out.ok) expect(Object.keys(out.errors)).toContain(field);
		expect(await targets.list(app.db, 'test-numbers')).toEqual([]);
	});

	it('stores 87.5 as 0.875 and audits setting and removing it', async () => {
		const out = await attempt({ target: '87.5' });
		expect(out.ok).toBe(true);
		const [stored] = await targets.list(app.db, 'test-numbers');
		expect(stored).toMatchObject({ unitCode: 'AG', target: 0.875, createdBy: by.actor.id });
		expect(await targets.remove(app.db, by, 'other-survey', stored!.id)).toBe(false);
		expect(await targets.remove(app.db, by, 'test-numbers', stored!.id)).toBe(true);
		expect(await targets.list(app.db, 'test-numbers')).toEqual([]);
		const [removed] = await listAudit(app.db, { action: 'target_removed' });
		const [setOne] = await listAudit(app.db, { action: 'target_set' });
		expect(setOne).toMatchObject({ actorEmail: by.actor.email, target: 'test-numbers/overall@AG' });
		expect(removed!.detail).toMatchObject({ id: stored!.id, target: 0.875 });
	});
});
