import { localDate, quarterOf } from '$lib/survey/periods';
import { requireAccess } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

/** The quarters before `quarter`, newest first, itself included. */
function quartersUpTo(quarter: string, count: number): string[] {
	let [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6))];
	const out: string[] = [];
	for (let i = 0; i < count; i++) {
		out.push(`${year}-Q${q}`);
		if (--q === 0) [year, q] = [year - 1, 4];
	}
	return out;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	requireAccess(locals, url, 'results');
	return {
		quarters: quartersUpTo(quarterOf(localDate(new Date())), 8)
	};
};
