import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { receiptTokens } from '$lib/server/touchpoints';
import { openTouchpoint } from '../../scoped.server';
import type { Actions, PageServerLoad } from './$types';

const access = { capability: 'touchpoints', channel: 'qr' } as const;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { touchpoint } = await openTouchpoint(locals, url, params.code, access);
	return {
		code: touchpoint.code,
		unit: touchpoint.unitCode,
		survey: touchpoint.surveyId,
		batches: await receiptTokens.batches(useApp().db, touchpoint.id),
		max: receiptTokens.MAX_BATCH
	};
};

const batchSize = z.coerce.number().int().min(1).max(receiptTokens.MAX_BATCH);

export const actions: Actions = {
	default: async ({ locals, url, params, request, getClientAddress }) => {
		const { touchpoint, user } = await openTouchpoint(locals, url, params.code, access);
		const count = batchSize.safeParse((await request.formData()).get('count'));
		if (!count.success) {
			const t = translator(locals.locale);
			return fail(400, {
				message: t('receiptTokens.countInvalid', { max: receiptTokens.MAX_BATCH })
			});
		}
		const batch = await useApp().db.transaction(async (tx) => {
			const id = await receiptTokens.createBatch(tx, touchpoint.id, count.data);
			await audit(tx, {
				actor: { id: user.id, email: user.email },
				action: 'receipt_tokens_created',
				target: touchpoint.code,
				detail: { batch: id, count: count.data },
				client: getClientAddress()
			});
			return id;
		});
		redirect(303, `/touchpoints/${touchpoint.code}/tokens/${batch}`);
	}
};
