import { fail } from '@sveltejs/kit';
import { Readable } from 'node:stream';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { requireAccess, unitsInScope } from '$lib/server/auth';
import { checkCsv, importCsv, type ImportError } from '$lib/server/paper';
import * as units from '$lib/server/units';
import * as pending from './pending.server';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 5 * 1024 * 1024;

export const load: PageServerLoad = ({ locals, url }) => {
	requireAccess(locals, url, 'entry');
};

/** A file name fit to show and to audit: no folders, no control characters, not too long. */
function cleanName(name: string) {
	// eslint-disable-next-line no-control-regex
	return (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001F\u007F]/g, '').slice(0, 200);
}

interface Preview {
	fileName: string;
	rows: number;
	errors: ImportError[];
	capped: boolean;
	alreadyStored: number;
	groups: { survey: string; unit: string; rows: number; surveyTitle: string; unitName: string }[];
}

function problems(fileName: string, rows: number, errors: ImportError[]): Preview {
	return { fileName, rows, errors, capped: errors.length >= 1000, alreadyStored: 0, groups: [] };
}

export const actions: Actions = {
	preview: async ({ locals, url, request }) => {
		const user = requireAccess(locals, url, 'entry');
		const app = useApp();
		const t = translator(locals.locale);
		// Refuse an oversized body before reading it; the file's own size is checked below too.
		if (Number(request.headers.get('content-length') ?? 0) > MAX_BYTES + 64 * 1024)
			return fail(413, { message: t('entry.import.tooLarge') });
		const file = (await request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0)
			return fail(400, { message: t('entry.import.noFile') });
		if (file.size > MAX_BYTES) return fail(413, { message: t('entry.import.tooLarge') });
		let csv: string;
		try {
			csv = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
		} catch {
			return fail(400, { message: t('entry.import.notUtf8') });
		}
		const fileName = cleanName(file.name);
		const check = await checkCsv(app.db, app.surveys, Readable.from([csv]), {
			paperOnly: true,
			locale: locals.locale,
			allowedUnits: await unitsInScope(app.db, user)
		});
		if (check.errors.length)
			return fail(400, { preview: problems(fileName, check.rows, check.errors) });
		const names = new Map((await units.list(app.db)).map((u) => [u.code, u]));
		const name = (code: string) =>
			(locals.locale === 'en' ? names.get(code)?.nameEn : names.get(code)?.nameVi) ?? '';
		return {
			preview: {
				...problems(fileName, check.rows, []),
				alreadyStored: check.alreadyStored,
				groups: check.groups.map((g) => ({
					...g,
					surveyTitle: app.surveys.current(g.survey)?.definition.title[locals.locale] ?? '',
					unitName: name(g.unit)
				}))
			},
			token: await pending.keep({ userId: user.id, fileName, csv })
		};
	},

	confirm: async ({ locals, url, request, getClientAddress }) => {
		const user = requireAccess(locals, url, 'entry');
		const app = useApp();
		const t = translator(locals.locale);
		const token = String((await request.formData()).get('token') ?? '');
		const upload = await pending.claim(token, user.id);
		if (!upload) return fail(410, { message: t('entry.import.expired') });
		const result = await importCsv(app.db, app.surveys, Readable.from([upload.csv]), {
			locale: locals.locale,
			idSeed: token,
			paperOnly: true,
			// The scope is checked again: it may have changed since the preview.
			allowedUnits: await unitsInScope(app.db, user),
			onStored: (tx, { rows, stored }) =>
				audit(tx, {
					actor: { id: user.id, email: user.email },
					action: 'responses_imported',
					target: upload.fileName,
					detail: { rows, stored, file: upload.fileName },
					client: getClientAddress()
				})
		});
		await pending.discard(token);
		if (!result.ok)
			return fail(400, { preview: problems(upload.fileName, result.rows, result.errors) });
		return {
			imported: t('entry.import.imported', {
				file: upload.fileName,
				stored: result.stored,
				skipped: result.skipped
			})
		};
	}
};
