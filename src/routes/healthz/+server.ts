import { json } from '@sveltejs/kit';
import { useApp } from '$lib/server/app';
import { sql } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** 200 once the database answers; 503 otherwise, so a load balancer can stop sending traffic. */
export const GET: RequestHandler = async () => {
	try {
		await useApp().db.query(sql`select 1`);
		return json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
	} catch {
		return json({ ok: false }, { status: 503, headers: { 'Cache-Control': 'no-store' } });
	}
};
