import { parseOpeningHours } from '$lib/kiosk/opening-hours';
import { useApp } from '$lib/server/app';
import { requireAccess } from '$lib/server/auth';
import { listHealth, SILENT_AFTER_MINUTES } from '$lib/server/touchpoints';
import * as units from '$lib/server/units';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'admin');
	const app = useApp();
	const hours = parseOpeningHours(app.config.KIOSK_OPENING_HOURS)!;
	const names = new Map(
		(await units.list(app.db)).map((u) => [u.code, locals.locale === 'en' ? u.nameEn : u.nameVi])
	);
	const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
	return {
		silentAfter: SILENT_AFTER_MINUTES,
		hours: app.config.KIOSK_OPENING_HOURS,
		devices: (await listHealth(app.db, hours)).map((d) => ({
			...d,
			unitName: names.get(d.unitCode) ?? d.unitCode,
			pairedAt: iso(d.pairedAt),
			lastSeenAt: iso(d.lastSeenAt),
			heartbeatAt: iso(d.heartbeatAt)
		}))
	};
};
