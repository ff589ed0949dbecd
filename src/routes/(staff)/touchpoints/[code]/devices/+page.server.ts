import QRCode from 'qrcode';
import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { translator } from '$lib/i18n';
import { useApp } from '$lib/server/app';
import { audit } from '$lib/server/audit';
import { devices } from '$lib/server/touchpoints';
import * as touchpoints from '$lib/server/touchpoints';
import * as units from '$lib/server/units';
import { actor, openTouchpoint } from '../../scoped.server';
import type { Actions, PageServerLoad } from './$types';

const access = { capability: 'admin', channel: 'kiosk' } as const;

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const { touchpoint } = await openTouchpoint(locals, url, params.code, access);
	const app = useApp();
	const unit = await units.get(app.db, touchpoint.unitCode);
	const done = url.searchParams.get('done');
	const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
	return {
		code: touchpoint.code,
		done: ['renamed', 'revoked', 'idle'].includes(done ?? '')
			? (done as 'renamed' | 'revoked' | 'idle')
			: null,
		active: touchpoint.active,
		idle: await touchpoints.idleSettings(app.db, touchpoint.id),
		unit: (locals.locale === 'en' ? unit?.nameEn : unit?.nameVi) ?? touchpoint.unitCode,
		survey:
			app.surveys.current(touchpoint.surveyId)?.definition.title[locals.locale] ??
			touchpoint.surveyId,
		devices: (await devices.listForTouchpoint(app.db, touchpoint.id)).map((d) => ({
			id: d.id,
			name: d.name,
			createdAt: iso(d.createdAt)!,
			pairingExpiresAt: iso(d.pairingExpiresAt),
			pairedAt: iso(d.pairedAt),
			lastSeenAt: iso(d.lastSeenAt),
			revokedAt: iso(d.revokedAt)
		}))
	};
};

// A name an administrator recognises on the list: printable characters only, no line breaks.
const deviceName = z
	.string()
	.trim()
	.min(1)
	.max(80)
	.refine((s) => !/\p{Cc}/u.test(s));
const deviceId = z.string().regex(/^[a-z2-7]{16}$/);

const idleForm = z.object({
	idleSeconds: z.coerce.number().int().min(10).max(600),
	idlePolicy: z.enum(['discard', 'submit'])
});

export const actions: Actions = {
	idle: async ({ locals, url, params, request, getClientAddress }) => {
		const { user, touchpoint } = await openTouchpoint(locals, url, params.code, access);
		const t = translator(locals.locale);
		const typed = Object.fromEntries(await request.formData());
		const parsed = idleForm.safeParse(typed);
		if (!parsed.success) return fail(400, { action: 'idle', message: t('devices.idleInvalid') });
		const db = useApp().db;
		await db.transaction(async (tx) => {
			const before = await touchpoints.idleSettings(tx, touchpoint.id);
			await touchpoints.setIdleSettings(tx, touchpoint.id, parsed.data);
			await audit(tx, {
				actor: actor(user),
				action: 'touchpoint_changed',
				target: touchpoint.code,
				detail: { before, after: parsed.data },
				client: getClientAddress()
			});
		});
		redirect(303, `/touchpoints/${touchpoint.code}/devices?done=idle`);
	},

	pair: async ({ locals, url, params, request, getClientAddress }) => {
		const { user, touchpoint } = await openTouchpoint(locals, url, params.code, access);
		const t = translator(locals.locale);
		const typed = String((await request.formData()).get('name') ?? '');
		const name = deviceName.safeParse(typed);
		if (!name.success)
			return fail(400, {
				action: 'pair',
				values: { name: typed },
				errors: { name: t('devices.nameInvalid') }
			});
		const db = useApp().db;
		const made = await db.transaction(async (tx) => {
			const device = await devices.create(tx, {
				touchpointId: touchpoint.id,
				name: name.data,
				createdBy: user.id
			});
			await audit(tx, {
				actor: actor(user),
				action: 'device_created',
				target: device.id,
				detail: { touchpoint: touchpoint.code, name: name.data },
				client: getClientAddress()
			});
			return device;
		});
		// Shown in this answer only: the code is stored hashed and cannot be displayed again.
		const code = devices.formatPairingCode(made.code);
		const link = `${useApp().config.ORIGIN ?? url.origin}/kiosk?code=${code}`;
		return {
			action: 'pair',
			paired: {
				name: name.data,
				code,
				minutes: devices.PAIRING_MINUTES,
				link,
				svg: await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
			}
		};
	},

	rename: async ({ locals, url, params, request, getClientAddress }) => {
		const { user, touchpoint } = await openTouchpoint(locals, url, params.code, access);
		const t = translator(locals.locale);
		const form = await request.formData();
		const id = deviceId.safeParse(form.get('id'));
		const typed = String(form.get('name') ?? '');
		const name = deviceName.safeParse(typed);
		if (!id.success) return fail(404, { action: 'rename', message: t('devices.notFound') });
		if (!name.success)
			return fail(400, {
				action: 'rename',
				id: id.data,
				values: { name: typed },
				errors: { name: t('devices.nameInvalid') }
			});
		const previous = await useApp().db.transaction(async (tx) => {
			const before = await devices.rename(tx, touchpoint.id, id.data, name.data);
			if (before === undefined) return undefined;
			await audit(tx, {
				actor: actor(user),
				action: 'device_renamed',
				target: id.data,
				detail: { touchpoint: touchpoint.code, from: before, to: name.data },
				client: getClientAddress()
			});
			return before;
		});
		if (previous === undefined)
			return fail(404, { action: 'rename', message: t('devices.notFound') });
		redirect(303, `/touchpoints/${touchpoint.code}/devices?done=renamed`);
	},

	revoke: async ({ locals, url, params, request, getClientAddress }) => {
		const { user, touchpoint } = await openTouchpoint(locals, url, params.code, access);
		const t = translator(locals.locale);
		const id = deviceId.safeParse((await request.formData()).get('id'));
		if (!id.success) return fail(404, { action: 'revoke', message: t('devices.notFound') });
		const done = await useApp().db.transaction(async (tx) => {
			if (!(await devices.revoke(tx, touchpoint.id, id.data))) return false;
			await audit(tx, {
				actor: actor(user),
				action: 'device_revoked',
				target: id.data,
				detail: { touchpoint: touchpoint.code },
				client: getClientAddress()
			});
			return true;
		});
		if (!done) return fail(404, { action: 'revoke', message: t('devices.notFound') });
		redirect(303, `/touchpoints/${touchpoint.code}/devices?done=revoked`);
	}
};
