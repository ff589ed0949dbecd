import type { Queryable, Row } from './driver';
import type { Statement } from './sql';

/**
 * A read-only view of the database that answers a statement it has already run from memory, for
 * one request that asks the same thing several times (the dashboard reads a unit's ancestry, its
 * subtree and its targets for the current and the previous period). Never hand it to code that
 * writes or must see its own writes; each caller gets its own copy of the rows.
 */
export function memoReads(db: Queryable): Queryable {
	const answers = new Map<string, Promise<Row[]>>();
	return {
		async query<T = Row>(statement: Statement): Promise<T[]> {
			const key = JSON.stringify([statement.text, statement.values]);
			let answer = answers.get(key);
			if (!answer) {
				answer = db.query<Row>(statement);
				answers.set(key, answer);
				answer.catch(() => answers.delete(key));
			}
			return structuredClone(await answer) as T[];
		}
	};
}
