import { mkdirSync, writeFileSync } from 'node:fs';
import type { FuzzResult } from './fuzz';
import type { ImportTiming } from './import';
import type { IngestResult } from './ingest';
import type { KioskTap } from './kiosk-tap';
import type { Machine } from './machine';
import type { ResultsTiming } from './results';
import type { PageWeight } from './weight';

export interface Report {
	command: string;
	startedAt: string;
	machine: Machine;
	settings: {
		seconds: number;
		warmupSeconds: number;
		sizes: number[];
		concurrency: number;
		poolSize: number;
		importRows: number;
		fuzzSeconds: number;
		fuzzSeed: number;
		skipped: string[];
	};
	ingest?: IngestResult & { serverPeakRssBytes: number };
	weight?: PageWeight;
	kiosk?: KioskTap;
	fuzz?: FuzzResult;
	results: ResultsTiming[];
	import: ImportTiming[];
	/** Quoted from ARCHITECTURE §7 for scale; never measured here. */
	quoted: { surveyJsRespondentGzipBytes: number };
}

export const BUDGETS = {
	ingestRatio: 0.5,
	ingestP99Ms: 100,
	pageJsCssGzipBytes: 40 * 1024,
	firstLoadBytes: 120 * 1024,
	kioskTapMs: 50,
	exportSeconds: 60,
	exportAt: 1_000_000,
	pgliteP95Ms: 1000,
	pgliteAt: 1_000_000,
	postgresP95Ms: 150,
	postgresAt: 10_000_000,
	importSeconds: 30,
	importAt: 100_000
};

export const int = (n: number) => Math.round(n).toLocaleString('en');
export const ms = (n: number) => (n < 10 ? n.toFixed(1) : int(n));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const verdict = (ok: boolean) => (ok ? 'ok' : 'NOT MET');

/** A section heading, or a row: measure, measured, budget, verdict. */
export type Line = string | [string, string, string?, string?];

function ingestLines(i: NonNullable<Report['ingest']>, seconds: number): Line[] {
	const { http, bare } = i;
	const p99ok = http.p99Ms <= BUDGETS.ingestP99Ms;
	return [
		`Ingest into PostgreSQL: ${i.concurrency} clients, ${seconds} s, pool ${i.poolSize}`,
		['HTTP POST /api/v1/responses', `${int(http.perSecond)} responses/s`],
		[
			'  latency p50 / p95 / p99',
			`${ms(http.p50Ms)} / ${ms(http.p95Ms)} / ${ms(http.p99Ms)} ms`,
			`p99 ≤ ${BUDGETS.ingestP99Ms} ms`,
			verdict(p99ok)
		],
		['  non-2xx or failed requests', int(http.non2xx), '0', verdict(http.non2xx === 0)],
		[
			'  acknowledged (201) = stored rows',
			`${int(http.acknowledged)} = ${int(http.stored)}`,
			'equal',
			verdict(http.acknowledged === http.stored)
		],
		['  server peak RSS (VmHWM, all its processes)', mib(i.serverPeakRssBytes)],
		[
			'  CPU used: server / bench client',
			`${http.serverCores.toFixed(2)} / ${http.clientCores.toFixed(2)} cores`
		],
		['bare single-row INSERT (postgres.js)', `${int(bare.perSecond)} rows/s`],
		['  latency p50 / p95 / p99', `${ms(bare.p50Ms)} / ${ms(bare.p95Ms)} / ${ms(bare.p99Ms)} ms`],
		[
			'HTTP rate / bare INSERT rate',
			i.ratio.toFixed(2),
			`≥ ${BUDGETS.ingestRatio}`,
			verdict(i.ratio >= BUDGETS.ingestRatio)
		]
	];
}

function weightLines(w: PageWeight, quoted: Report['quoted']): Line[] {
	const count = (ext: string) =>
		w.assets.filter((a) => new URL(a.url, 'http://x').pathname.endsWith(ext)).length;
	return [
		`Page weight of ${w.path.replace(/[^/]+$/, '{code}')} (first load, each file gzip -9)`,
		[
			`JS+CSS gzip (${count('.js')} JS, ${count('.css')} CSS files)`,
			kib(w.jsCssGzipBytes),
			`≤ ${kib(BUDGETS.pageJsCssGzipBytes)}`,
			verdict(w.jsCssGzipBytes <= BUDGETS.pageJsCssGzipBytes)
		],
		['HTML raw / gzip', `${kib(w.htmlBytes)} / ${kib(w.htmlGzipBytes)}`],
		[
			`Fonts the page's text loads (${w.fonts.length} woff2 files)`,
			kib(w.fonts.reduce((sum, f) => sum + f.bytes, 0))
		],
		[
			'First load: HTML + JS + CSS gzip, with fonts',
			kib(w.firstLoadBytes),
			`≤ ${kib(BUDGETS.firstLoadBytes)}`,
			verdict(w.firstLoadBytes <= BUDGETS.firstLoadBytes)
		],
		[
			'SurveyJS respondent bundle (quoted, not measured)',
			`≈ ${kib(quoted.surveyJsRespondentGzipBytes)}`
		]
	];
}

function exportLines(timings: ResultsTiming[]): Line[] {
	const done = timings.flatMap((t) => (t.exports ?? []).map((e) => ({ t, e })));
	if (!done.length) return [];
	return [
		"Export of the province's responses (streamed, read page by page)",
		...done.map(({ t, e }): Line => {
			const name = t.database === 'pglite' ? 'PGlite' : 'PostgreSQL';
			// Judged when the file holds about the budget's million rows (within 10 %).
			const judged = Math.abs(e.rows - BUDGETS.exportAt) <= BUDGETS.exportAt / 10;
			return [
				`${e.format.toUpperCase()}, ${name}, ${int(e.rows)} rows, ${mib(e.bytes)}; RSS growth ${mib(e.rssGrowthBytes)}`,
				`${e.seconds.toFixed(1)} s (${int(e.rows / e.seconds)} rows/s)`,
				judged ? `≤ ${BUDGETS.exportSeconds} s at 1M` : `≤ ${BUDGETS.exportSeconds} s is for 1M`,
				judged ? verdict(e.seconds <= BUDGETS.exportSeconds) : '—'
			];
		})
	];
}

function importLines(timings: ImportTiming[]): Line[] {
	if (!timings.length) return [];
	const f = timings[0]!.file;
	const lines: Line[] = [
		`CSV import as npm run import runs it: ${int(f.rows)} rows, ${mib(f.bytes)}, ${f.columns} columns, ${f.surveys.length} surveys`
	];
	for (const t of timings) {
		const name = t.database === 'pglite' ? 'PGlite' : 'PostgreSQL';
		// Judged at the budget's 100,000 rows; a smaller BENCH_IMPORT_ROWS is a quick check only.
		const judged = t.first.rows >= BUDGETS.importAt;
		const run = (r: ImportTiming['first']) =>
			`${r.seconds.toFixed(1)} s (${int(r.rows / r.seconds)} rows/s); RSS peak ${mib(r.peakRssBytes)}, +${mib(r.rssGrowthBytes)}`;
		const expected = t.rowsBefore + t.first.rows;
		lines.push(
			[
				`${name}, first import: ${int(t.first.stored)} stored`,
				run(t.first),
				judged
					? `≤ ${BUDGETS.importSeconds} s`
					: `≤ ${BUDGETS.importSeconds} s is for ${int(BUDGETS.importAt)}`,
				judged ? verdict(t.first.seconds <= BUDGETS.importSeconds) : '—'
			],
			[
				`  same file again: ${int(t.replay.stored)} stored, ${int(t.replay.skipped)} skipped`,
				run(t.replay),
				'0 stored',
				verdict(t.replay.stored === 0)
			],
			[
				'  table rows after each run = rows imported',
				`${int(t.first.tableRows)}, ${int(t.replay.tableRows)} = ${int(expected)}`,
				'equal',
				verdict(t.first.tableRows === expected && t.replay.tableRows === expected)
			]
		);
	}
	return lines;
}

function fuzzLines(f: FuzzResult): Line[] {
	const byClass = (test: (status: string) => boolean) =>
		Object.entries(f.byStatus)
			.filter(([s]) => test(s))
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([s, n]) => `${s}: ${int(n)}`)
			.join(', ') || 'none';
	return [
		`Fuzz of POST /api/v1/responses: ${f.seconds} s, ${f.concurrency} clients, seed ${f.seed} (BENCH_FUZZ_SEED replays it)`,
		['requests sent (kinds of mutation)', `${int(f.sent)} (${Object.keys(f.byKind).length})`],
		['  answered 2xx', byClass((s) => s.startsWith('2'))],
		['  answered 4xx', byClass((s) => s.startsWith('4'))],
		// The server closing a connection on an oversized body it refused, mostly.
		['  no answer (connection closed, timeout)', byClass((s) => !/^\d/.test(s))],
		['  5xx answers', int(f.serverErrors), '0', verdict(f.serverErrors === 0)],
		...f.firstServerErrors.map((e): Line => [
			`    case ${e.case} (${e.kind}): ${e.status}`,
			e.body.slice(0, 60)
		]),
		[
			'  afterwards: /healthz, a valid kiosk submission',
			`${f.after.healthz}, ${f.after.submission}`,
			'200, 201',
			verdict(f.after.healthz === 200 && f.after.submission === 201)
		],
		[
			'  server RSS before / after / peak (all its processes)',
			`${mib(f.rssBeforeBytes)} / ${mib(f.rssAfterBytes)} / ${mib(f.peakRssBytes)}`
		]
	];
}

function kioskLines(k: KioskTap): Line[] {
	const spread = (t: { p50Ms: number; p95Ms: number; maxMs: number }) =>
		`${ms(t.p50Ms)} / ${ms(t.p95Ms)} / ${ms(t.maxMs)} ms`;
	return [
		`Kiosk, ${k.taps} taps on answers to the next question painted (Chromium, CPU ${k.cpuThrottle}× slower); p50 / p95 / max`,
		[
			'From the click reaching the page',
			spread(k.fromClick),
			`p95 ≤ ${BUDGETS.kioskTapMs} ms`,
			verdict(k.fromClick.p95Ms <= BUDGETS.kioskTapMs)
		],
		['  bare page, one button, same timing', spread(k.barePage.fromClick)],
		['From the pointerup (adds input delivery)', spread(k.fromPointerup)],
		['  bare page, one button, same timing', spread(k.barePage.fromPointerup)]
	];
}

function resultsLines(timings: ResultsTiming[]): Line[] {
	if (!timings.length) return [];
	const first = timings[0]!;
	const lines: Line[] = [
		`Results, unit × quarter, all indicators and questions (${first.queries} queries, ${first.groupedByUnit} grouped by unit)`
	];
	for (const t of timings) {
		const name = t.database === 'pglite' ? 'PGlite' : 'PostgreSQL';
		const budget =
			t.database === 'pglite' && t.responses === BUDGETS.pgliteAt
				? [`p95 ≤ ${int(BUDGETS.pgliteP95Ms)} ms`, verdict(t.p95Ms <= BUDGETS.pgliteP95Ms)]
				: t.database === 'postgres' && t.responses === BUDGETS.postgresAt
					? [`p95 ≤ ${BUDGETS.postgresP95Ms} ms`, verdict(t.p95Ms <= BUDGETS.postgresP95Ms)]
					: t.database === 'postgres'
						? [`p95 ≤ ${BUDGETS.postgresP95Ms} ms is for 10M`, '—']
						: [];
		lines.push(
			[
				`${name}, ${int(t.responses)} responses: p50 / p95 / max`,
				`${ms(t.p50Ms)} / ${ms(t.p95Ms)} / ${ms(t.maxMs)} ms`,
				...budget
			] as Line,
			[
				`  bulk load of ${int(t.loadedRows)} rows`,
				t.loadedRows
					? `${int(t.loadSeconds)} s (${int(t.loadedRows / t.loadSeconds)} rows/s)`
					: 'none (BENCH_REUSE_DATABASE)'
			],
			['  monthly roll-ups brought up to date after the load', `${t.rollupSeconds.toFixed(1)} s`],
			['  largest scope timed (responses)', int(t.largestScope)]
		);
	}
	return lines;
}

export function table(lines: Line[]): string {
	const header: Line = ['Measure', 'Measured', 'Budget', 'Verdict'];
	// Rows sit indented under their section heading.
	const indented = lines.map((l): Line =>
		typeof l === 'string' ? l : [`  ${l[0]}`, l[1], l[2], l[3]]
	);
	const rows = [header, ...indented];
	const widths = [0, 1, 2].map((c) =>
		Math.max(...rows.map((r) => (typeof r === 'string' ? 0 : (r[c] ?? '').length)))
	);
	const render = (r: Line) =>
		typeof r === 'string'
			? `\n${r}`
			: r
					.map((cell, c) => (c < 3 ? (cell ?? '').padEnd(widths[c]!) : (cell ?? '')))
					.join('  ')
					.trimEnd();
	const rule = widths.map((w) => '─'.repeat(w)).join('  ') + '  ───────';
	// A blank line before each section but the first.
	const body = indented.map(render).join('\n').replace(/^\n/, '');
	return [render(header), rule, body].join('\n');
}

export function renderReport(r: Report): string {
	const m = r.machine;
	const memory = `${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB RAM`;
	const head = [
		`Hài Lòng bench, ${r.startedAt}`,
		`Command: ${r.command}`,
		`Machine: ${m.nproc} × ${m.cpu}, ${memory}, Node ${m.node}, PostgreSQL ${m.postgres}`
	];
	if (r.settings.skipped.length) head.push(`Skipped: ${r.settings.skipped.join(', ')}`);
	const lines = [
		...(r.ingest ? ingestLines(r.ingest, r.settings.seconds) : []),
		...(r.weight ? weightLines(r.weight, r.quoted) : []),
		...(r.kiosk ? kioskLines(r.kiosk) : []),
		...(r.fuzz ? fuzzLines(r.fuzz) : []),
		...resultsLines(r.results),
		...exportLines(r.results),
		...importLines(r.import)
	];
	return `${head.join('\n')}\n\n${table(lines)}\n`;
}

export function writeJson(r: unknown, path = 'bench-data/last.json') {
	mkdirSync('bench-data', { recursive: true });
	writeFileSync(path, JSON.stringify(r, null, '\t') + '\n');
	return path;
}
