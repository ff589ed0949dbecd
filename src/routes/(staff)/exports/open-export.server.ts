import { error } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp, type App } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { requireAccess, requireUnitInScope } from '$lib/server/auth';
import { releasingOnEnd, download } from '$lib/server/exports';
import { parseResultsQuery, type ResultsQuery } from '$lib/server/results';

export type ExportKind = 'responses' | 'results';

type Format = 'csv' | 'xlsx';

interface ExportEvent {
	locals: App.Locals;
	url: URL;
	getClientAddress(): string;
	setHeaders(headers: Record<string, string>): void;
}

/**
 * What both downloads share: the export capability, the query read and checked as the results
 * API reads it, the unit within the caller's scope, the format, a free export slot (429 when
 * the user already has a download running, the server has enough of them, or the hourly
 * allowance is spent), and an audit entry written before the first byte leaves. `body` makes
 * the file; the slot is held until the download ends.
 */
export async function exportDownload(
	event: ExportEvent,
	kind: ExportKind,
	body: (ctx: {
		app: App;
		query: ResultsQuery;
		format: Format;
	}) => Promise<ReadableStream<Uint8Array>>
): Promise<Response> {
	const { locals, url } = event;
	const user = requireAccess(locals, url, 'export');
	const app = useApp();
	const t = translator(locals.locale);
	const format = url.searchParams.get('format') ?? 'csv';
	if (format !== 'csv' && format !== 'xlsx') error(400, t('exports.formatInvalid'));
	const parsed = await parseResultsQuery(app, url.searchParams);
	if (!parsed.ok) error(parsed.problem.status, t(parsed.problem.message));
	const query = parsed.query;
	await requireUnitInScope(app.db, user, query.unitCode);
	const slot = app.exports.take(user.id);
	if (!slot.ok) {
		event.setHeaders({ 'retry-after': String(slot.retryAfter) });
		error(429, t(`exports.refused.${slot.reason}`, { minutes: Math.ceil(slot.retryAfter / 60) }));
	}
	try {
		await audit(app.db, {
			actor: { id: user.id, email: user.email },
			action: 'export',
			target: query.surveyId,
			detail: { kind, format, unit: query.unitCode, from: query.range.from, to: query.range.to },
			client: event.getClientAddress()
		});
		const name = `${kind === 'responses' ? 'phieu' : 'ket-qua'}-${query.surveyId}-${query.unitCode}-${query.range.from}-${query.range.to}`;
		const file = await body({ app, query, format });
		return download(releasingOnEnd(file, slot.release), format, name);
	} catch (thrown) {
		slot.release();
		throw thrown;
	}
}
