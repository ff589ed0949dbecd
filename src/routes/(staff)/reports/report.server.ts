import { error } from '@sveltejs/kit';
import { localDate } from '$lib/survey/periods';
import { useApp } from '$lib/server/app';
import { requireAccess, scopeRoot } from '$lib/server/auth';
import * as quarterlyReport from '$lib/server/reports';

/**
 * The report of the path's quarter for the user's subtree (the province for analysts), with
 * everything the document needs to render: the same props on the page and in the PDF.
 */
export async function reportFor(locals: App.Locals, url: URL, quarter: string) {
	const user = requireAccess(locals, url, 'results');
	const app = useApp();
	const report = quarterlyReport.quarterPattern.test(quarter)
		? await quarterlyReport.build(app, quarter, scopeRoot(user) ?? 'AG', locals.locale)
		: null;
	if (!report) error(404, 'Không tìm thấy trang / Not found');
	return {
		user,
		document: {
			report,
			locale: locals.locale,
			today: localDate(new Date())
		}
	};
}
