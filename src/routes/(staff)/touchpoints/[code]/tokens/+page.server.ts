import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth/guard';
import * as receiptTokens from '$lib/server/receipt-tokens';
import * as touchpoints from '$lib/server/touchpoints';
import type { Actions, PageServerLoad } from './$types';

async function qrTouchpoint(code: string) {
	const touchpoint =
		code.length <= 64 ? await touchpoints.findByCode(useApp().db, code) : undefined;
	if (!touchpoint || touchpoint.channel !== 'qr')
		error(404, 'Không tìm thấy điểm khảo sát / Not found');
	return touchpoint;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireAccess(locals, url, 'touchpoints');
	const touchpoint = await qrTouchpoint(params.code);
	return {
		locale: locals.locale,
		code: touchpoint.code,
		unit: touchpoint.unitCode,
		survey: touchpoint.surveyId,
		batches: await receiptTokens.batches(useApp().db, touchpoint.id),
		max: receiptTokens.MAX_BATCH
	};
};

const batchSize = z.coerce.number().int().min(1).max(receiptTokens.MAX_BATCH);

export const actions: Actions = {
	default: async ({ locals, url, params, request }) => {
		requireAccess(locals, url, 'touchpoints');
		const touchpoint = await qrTouchpoint(params.code);
		const count = batchSize.safeParse((await request.formData()).get('count'));
		if (!count.success) {
			return fail(400, {
				message:
					locals.locale === 'vi'
						? `Nhập số mã từ 1 đến ${receiptTokens.MAX_BATCH}.`
						: `Enter a number of codes from 1 to ${receiptTokens.MAX_BATCH}.`
			});
		}
		const batch = await receiptTokens.createBatch(useApp().db, touchpoint.id, count.data);
		redirect(303, `/touchpoints/${touchpoint.code}/tokens/${batch}`);
	}
};
