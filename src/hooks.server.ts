import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { startApp, stopApp } from '$lib/server/app';
import { scheduleTidying } from '$lib/server/db';
import { rollups } from '$lib/server/results';
import {
	apiServerErrors,
	reportServerError,
	bodyLimit,
	compressPages,
	locale,
	rejectNul,
	securityHeaders,
	session
} from '$lib/server/http';

export const init: ServerInit = async () => {
	let app;
	try {
		app = await startApp();
	} catch (error) {
		// A broken definition file, a bad variable or a busy data directory: say what, then stop.
		console.error(`Hài Lòng cannot start.\n${(error as Error).message}`);
		process.exit(1);
	}
	const stopTidying = scheduleTidying(app.db);
	const stopRollups = rollups.scheduleRefresh(app.db, () => app.surveys);
	process.once('sveltekit:shutdown', () => {
		stopTidying();
		stopRollups();
		void stopApp();
	});
	// Under node:cluster (scripts/start.js) only the first process introduces the server.
	if ((process.env.HAILONG_WORKER ?? '1') !== '1') return;
	const origin = app.config.ORIGIN ?? `http://localhost:${app.config.PORT}`;
	const where = app.config.DATABASE_URL
		? 'PostgreSQL (DATABASE_URL)'
		: `embedded PGlite in ${app.config.DATA_DIR}`;
	console.log(`Hài Lòng is ready on ${origin} — database: ${where}`);
	console.log(`  Staff sign-in: ${origin}/login`);
	if (app.seeded.generatedPassword) {
		console.log(
			`  First administrator: ${app.seeded.adminEmail} / ${app.seeded.generatedPassword}  (shown once; change it)`
		);
	}
	const qr = app.seeded.qrCodes[0];
	if (qr) console.log(`  Try the QR survey: ${origin}/s/${qr.code}`);
};

export const handle = sequence(
	compressPages,
	securityHeaders,
	apiServerErrors,
	bodyLimit,
	rejectNul,
	locale,
	session
);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status === 404) return { message: 'Không tìm thấy trang / Not found' };
	// SvelteKit's own refusals (a POST to a page without actions, a malformed data request).
	if (status < 500) return { message: 'Yêu cầu không hợp lệ / Invalid request' };
	return { message: reportServerError(error, event).message };
};
