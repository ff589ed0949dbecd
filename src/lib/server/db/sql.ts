/** A parameterised statement: the text uses $1…$n, the values travel separately. */
export interface Statement {
	text: string;
	values: unknown[];
	/** Planned for its values at every run, never as a reusable prepared statement (see below). */
	customPlan?: boolean;
}

/**
 * Builds a parameterised statement from a template literal, so query code reads like SQL and
 * never splices values into the text. Nested statements are inlined with their parameters
 * renumbered, which lets query modules compose optional clauses.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Statement {
	let text = strings[0] ?? '';
	const params: unknown[] = [];
	values.forEach((value, i) => {
		if (isStatement(value)) {
			text += value.text.replace(/\$(\d+)/g, (_, n: string) => `$${params.length + Number(n)}`);
			params.push(...value.values);
		} else {
			params.push(value);
			text += `$${params.length}`;
		}
		text += strings[i + 1] ?? '';
	});
	return { text, values: params };
}

/** An empty fragment, for optional clauses. */
export const empty: Statement = { text: '', values: [] };

function isStatement(value: unknown): value is Statement {
	return (
		typeof value === 'object' &&
		value !== null &&
		'text' in value &&
		'values' in value &&
		Array.isArray((value as Statement).values)
	);
}

/**
 * A JSON value as a jsonb parameter. It travels as text and is cast in SQL: postgres.js would
 * otherwise encode an already-encoded string a second time for a jsonb parameter, PGlite not.
 */
export function json(value: unknown): Statement {
	return { text: '$1::text::jsonb', values: [JSON.stringify(value)] };
}

/**
 * Marks a statement to be planned for its own values each time. PostgreSQL switches a prepared
 * statement to a generic plan after five runs; on the partitioned responses table such a plan
 * cannot prune months at planning time nor read them in order, so a keyset page would sort every
 * remaining row instead of reading the next ones. PGlite never reuses plans and ignores this.
 */
export function withCustomPlan(statement: Statement): Statement {
	return { ...statement, customPlan: true };
}
