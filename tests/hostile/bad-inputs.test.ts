// The catalogue of bad inputs, attacks and faults (bad-inputs.md, a verbatim copy of the shared
// reference, so a clone holds it), proved case by case: every numbered case is a row of one of the tables below, run end to end through
// the hooks and the real route handlers, or is listed as not applicable here, with the reason.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hooks, openHostile, type Hostile, type HostileCase } from './context';
import { answerCases } from './answer-cases';
import { bodyCases } from './body-cases';
import { deliveryCases } from './delivery-cases';
import { displayCases } from './display-cases';
import { operationsCases } from './operations-cases';
import { scopeCases } from './scope-cases';
import { signInCases } from './sign-in-cases';

const CATALOGUE = resolve(import.meta.dirname, 'bad-inputs.md');

/** Cases proved elsewhere, or about a feature Hài Lòng does not have. */
const notApplicable: { case: number; why: string }[] = [
	{
		case: 17,
		why: 'browser only: the kiosk shows its thank-you screen only once the IndexedDB write resolved (src/lib/kiosk/kiosk.svelte.ts); tests/e2e/kiosk/offline.spec.ts reloads a tablet holding 20 offline answers and gets exactly 20 stored'
	},
	{
		case: 18,
		why: 'browser only: tests/e2e/kiosk/tablet.spec.ts, "a tablet that cannot store answers stops taking them and says so" (IndexedDB refuses with QuotaExceededError)'
	},
	{
		case: 20,
		why: 'a database fault: tests/faults/database.test.ts crashes PostgreSQL mid-load and checks nothing is lost'
	},
	{
		case: 21,
		why: 'a database fault: tests/faults/database.test.ts, "answers 503 while the database refuses writes, and recovers without a restart"'
	},
	{
		case: 22,
		why: 'a load fault: tests/faults/database.test.ts sends 400 requests at a pool of 2'
	},
	{
		case: 23,
		why: 'a process fault: tests/faults/server.test.ts sends SIGTERM with requests in flight'
	},
	{ case: 50, why: 'Hài Lòng has no webhooks: nothing sends requests to user-given URLs' }
];

const tables: HostileCase[] = [
	...bodyCases,
	...answerCases,
	...deliveryCases,
	...displayCases,
	...scopeCases,
	...signInCases,
	...operationsCases
].sort((a, b) => a.case - b.case);

/** The numbers of the catalogue's numbered lines: `12. Prototype-pollution keys …`. */
function catalogueNumbers(): number[] {
	const text = readFileSync(CATALOGUE, 'utf8');
	return [...text.matchAll(/^(\d+)\.\s+\S/gm)].map((m) => Number(m[1]));
}

let h: Hostile;
beforeAll(async () => {
	h = await openHostile();
});
afterAll(() => h.app.db.close());

describe('the bad-inputs catalogue', () => {
	it('has every numbered case either proved by a row or listed as not applicable, once', () => {
		const numbers = catalogueNumbers();
		expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
		const proved = tables.map((row) => row.case);
		const elsewhere = notApplicable.map((row) => row.case);
		expect([...proved, ...elsewhere].sort((a, b) => a - b)).toEqual(numbers);
		for (const row of notApplicable) expect(row.why.length, `case ${row.case}`).toBeGreaterThan(20);
	});

	it('sends its requests through the handles hooks.server.ts runs, in that order', () => {
		const source = readFileSync(resolve(process.cwd(), 'src/hooks.server.ts'), 'utf8');
		const listed = /export const handle = sequence\(([^)]*)\)/.exec(source)?.[1];
		expect(listed?.split(',').map((name) => name.trim())).toEqual(Object.keys(hooks));
	});

	it.each(tables.map((row) => ({ ...row, label: `${row.case}: ${row.title}` })))(
		'case $label',
		async (row) => {
			await row.run(h);
		}
	);
});
