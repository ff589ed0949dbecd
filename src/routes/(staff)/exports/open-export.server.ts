import { error } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { requireAccess, requireUnitInScope } from '$lib/server/auth/guard';
import { parseResultsQuery } from '$lib/server/results-query';

export type ExportKind = 'responses' | 'results';

/**
 * What both downloads share: the export capability, the query read and checked as the results
 * API reads it, the unit within the caller's scope, the format, and an audit entry written
 * before the first byte leaves.
 */
export async function openExport(
	{ locals, url, getClientAddress }: { locals: App.Locals; url: URL; getClientAddress(): string },
	kind: ExportKind
) {
	const user = requireAccess(locals, url, 'export');
	const app = useApp();
	const t = translator(locals.locale);
	const format = url.searchParams.get('format') ?? 'csv';
	if (format !== 'csv' && format !== 'xlsx') error(400, t('exports.formatInvalid'));
	const parsed = await parseResultsQuery(app, url.searchParams);
	if (!parsed.ok) error(parsed.problem.status, t(parsed.problem.message));
	const query = parsed.query;
	await requireUnitInScope(app.db, user, query.unitCode);
	await audit(app.db, {
		actor: { id: user.id, email: user.email },
		action: 'export',
		target: query.surveyId,
		detail: { kind, format, unit: query.unitCode, from: query.range.from, to: query.range.to },
		client: getClientAddress()
	});
	const name = `${kind === 'responses' ? 'phieu' : 'ket-qua'}-${query.surveyId}-${query.unitCode}-${query.range.from}-${query.range.to}`;
	return { app, query, format: format as 'csv' | 'xlsx', name };
}
