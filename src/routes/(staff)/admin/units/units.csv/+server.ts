import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { csvDownload } from '$lib/server/http';
import { requireAccess } from '$lib/server/auth';
import { exportCsv } from '$lib/server/units';
import { localDate } from '$lib/survey/periods';
import type { RequestHandler } from './$types';

/** The unit list as CSV, to edit in a spreadsheet and import back. */
export const GET: RequestHandler = async ({ locals, url, getClientAddress }) => {
	const user = requireAccess(locals, url, 'admin');
	const db = useApp().db;
	const { csv, count } = await exportCsv(db);
	await audit(db, {
		actor: { id: user.id, email: user.email },
		action: 'units_exported',
		detail: { units: count },
		client: getClientAddress()
	});
	return csvDownload(csv, `don-vi-${localDate(new Date())}.csv`);
};
