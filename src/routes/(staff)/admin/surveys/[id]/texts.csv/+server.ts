import { error } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth';
import { csvDownload } from '$lib/server/http';
import { translations } from '$lib/server/surveys';
import type { RequestHandler } from './$types';

/** The current version's texts for a translator: id, vi, en and the Khmer so far. */
export const GET: RequestHandler = async ({ locals, url, params }) => {
	requireAccess(locals, url, 'admin');
	const app = useApp();
	const version = params.id.length <= 100 ? app.surveys.current(params.id) : undefined;
	if (!version) error(404, 'Không tìm thấy trang / Not found');
	const def = version.definition;
	const csv = await translations.exportTexts(app.db, def);
	return csvDownload(csv, `ban-dich-${def.id}-v${def.version}.csv`);
};
