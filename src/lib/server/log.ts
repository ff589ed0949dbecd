type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
	return order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? order.info;
}

/** One line per event; values are JSON-encoded so user text cannot forge log lines. */
function write(level: Level, message: string, fields?: Record<string, unknown>) {
	if (order[level] < threshold()) return;
	const extra = fields
		? ' ' +
			Object.entries(fields)
				.map(([k, v]) => `${k}=${JSON.stringify(v instanceof Error ? v.message : v)}`)
				.join(' ')
		: '';
	const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${extra}`;
	(level === 'error' || level === 'warn' ? console.error : console.log)(line);
}

export const log = {
	debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
	info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
	warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
	error: (m: string, f?: Record<string, unknown>) => write('error', m, f)
};
