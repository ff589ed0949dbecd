import { lineBreaking } from '$lib/survey/text';

type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields under these names are secrets or personal data whatever they hold, at any depth. */
const SECRET_KEY = /password|passwd|secret|token|authori[sz]ation|cookie|phone|contact|^pin$/i;

/**
 * Secrets and phone numbers inside free text (an error message, a SQL error quoting a value, a
 * stack): bearer credentials, API (`hl_`) and device (`dv_`) tokens, Vietnamese phone numbers
 * (0 or +84, then 9–10 digits, spaces, dots or dashes between them).
 */
const SECRET_TEXT: [RegExp, string][] = [
	[/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]'],
	[/\b(hl|dv)_[a-z0-9]{8,}/gi, '$1_[redacted]'],
	[/(?<![\w+])(?:\+84|0)(?:[ .-]?\d){9,10}(?!\w)/g, '[phone]']
];

const MAX_DEPTH = 5;

function threshold(): number {
	return order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? order.info;
}

function maskText(text: string): string {
	return SECRET_TEXT.reduce(
		(out, [pattern, replacement]) => out.replace(pattern, replacement),
		text
	);
}

function escapeLineBreaks(text: string): string {
	// JSON.stringify escapes only the C0 controls, so every line goes through this last.
	return text.replace(lineBreaking, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A value made safe to write: secrets dropped by key, masked in text, nothing that throws. */
function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
	if (typeof value === 'string') return maskText(value);
	if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function')
		return String(value);
	if (value === undefined) return null;
	if (value === null || typeof value !== 'object') return value;
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
	if (seen.has(value)) return '[circular]';
	if (depth >= MAX_DEPTH) return '[…]';
	// `seen` holds the path from the root, so an object met twice side by side is written twice.
	seen.add(value);
	try {
		return scrubObject(value, depth, seen);
	} finally {
		seen.delete(value);
	}
}

function scrubObject(value: object, depth: number, seen: WeakSet<object>): unknown {
	if (value instanceof Error) {
		// The SQLSTATE code says what failed; a driver's `detail` quotes row values, so it stays out.
		const code = (value as { code?: unknown }).code;
		const { message, stack, cause } = value;
		return scrub(
			{ message, code: typeof code === 'string' ? code : undefined, stack, cause },
			depth,
			seen
		);
	}
	if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
	return Object.fromEntries(
		Object.entries(value)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : scrub(v, depth + 1, seen)])
	);
}

/**
 * `time LEVEL message key=json …` on one line. Values are JSON-encoded and every line-breaking
 * character escaped, so text from a request can neither start a forged line nor carry a secret.
 */
function formatLine(level: Level, message: string, fields?: Fields): string {
	const seen = new WeakSet<object>();
	const extra = Object.entries(fields ?? {})
		.map(([k, v]) => {
			const key = k.replace(/[^\w.-]/g, '_');
			const safe = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, 0, seen);
			return ` ${key}=${JSON.stringify(safe)}`;
		})
		.join('');
	const line = `${new Date().toISOString()} ${level.toUpperCase()} ${maskText(message)}${extra}`;
	return escapeLineBreaks(line);
}

function write(level: Level, message: string, fields?: Fields) {
	if (order[level] < threshold()) return;
	(level === 'error' || level === 'warn' ? console.error : console.log)(
		formatLine(level, message, fields)
	);
}

export const log = {
	debug: (m: string, f?: Fields) => write('debug', m, f),
	info: (m: string, f?: Fields) => write('info', m, f),
	warn: (m: string, f?: Fields) => write('warn', m, f),
	error: (m: string, f?: Fields) => write('error', m, f)
};
