import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer';

/** A write that records each statement's rows and ends when told to. */
function recorder() {
	const statements: number[][] = [];
	const pending: (() => void)[] = [];
	const write = (items: number[]) => {
		statements.push(items);
		return new Promise<string[]>((resolve, reject) => {
			pending.push(() =>
				items.includes(13)
					? reject(new Error('row 13 refused'))
					: resolve(items.map((i) => `stored ${i}`))
			);
		});
	};
	const finishAll = async () => {
		while (pending.length) {
			pending.shift()!();
			await new Promise((r) => setImmediate(r));
		}
	};
	return { statements, write, finishAll };
}

describe('Coalescer', () => {
	it('writes a lone row at once, alone', async () => {
		const r = recorder();
		const group = new Coalescer(r.write, { inFlight: 1, maxBatch: 10 });
		const one = group.submit(1);
		expect(r.statements).toEqual([[1]]);
		await r.finishAll();
		expect(await one).toBe('stored 1');
	});

	it('sends rows that arrive while a statement runs together in the next one', async () => {
		const r = recorder();
		const group = new Coalescer(r.write, { inFlight: 1, maxBatch: 3 });
		const all = [1, 2, 3, 4, 5, 6].map((i) => group.submit(i));
		expect(r.statements).toEqual([[1]]);
		await r.finishAll();
		expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `stored ${i}`));
		expect(r.statements).toEqual([[1], [2, 3, 4], [5, 6]]);
	});

	it('keeps up to inFlight statements running before it starts to group', async () => {
		const r = recorder();
		const group = new Coalescer(r.write, { inFlight: 2, maxBatch: 10 });
		const all = [1, 2, 3, 4].map((i) => group.submit(i));
		expect(r.statements).toEqual([[1], [2]]);
		await r.finishAll();
		await Promise.all(all);
		expect(r.statements).toEqual([[1], [2], [3, 4]]);
	});

	it('settles a caller only after its statement ends', async () => {
		const r = recorder();
		const group = new Coalescer(r.write, { inFlight: 1, maxBatch: 10 });
		let settled = false;
		void group.submit(1).then(() => (settled = true));
		await new Promise((resolve) => setImmediate(resolve));
		expect(settled).toBe(false);
		await r.finishAll();
		expect(settled).toBe(true);
	});

	it('writes a failed group again row by row: only the bad row fails', async () => {
		const r = recorder();
		const group = new Coalescer(r.write, { inFlight: 1, maxBatch: 10 });
		const all = [1, 12, 13, 14].map((i) => group.submit(i).catch((e: Error) => e.message));
		await r.finishAll();
		expect(await Promise.all(all)).toEqual([
			'stored 1',
			'stored 12',
			'row 13 refused',
			'stored 14'
		]);
		expect(r.statements).toEqual([[1], [12, 13, 14], [12], [13], [14]]);
	});
});
