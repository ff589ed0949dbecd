import { can, type Capability } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

// Each label is `staffNav.<key>`, translated by the layout.
const links: { href: string; key: string; capability: Capability | null }[] = [
	{ href: '/dashboard', key: 'results', capability: 'results' },
	{ href: '/comments', key: 'comments', capability: 'results' },
	{ href: '/cases', key: 'cases', capability: 'results' },
	{ href: '/reports', key: 'reports', capability: 'results' },
	{ href: '/exports', key: 'exports', capability: 'export' },
	{ href: '/entry', key: 'entry', capability: 'entry' },
	{ href: '/touchpoints', key: 'touchpoints', capability: 'touchpoints' },
	// The administrator's pages, each at /admin/<key>.
	...['users', 'units', 'surveys', 'devices', 'audit'].map((key) => ({
		href: `/admin/${key}`,
		key,
		capability: 'admin' as const
	})),
	{ href: '/account', key: 'account', capability: null }
];

// Navigation only shows what the role may open; every page still checks access in its own load.
export const load: LayoutServerLoad = ({ locals }) => {
	const user = locals.user;
	return {
		// Every staff page translates with translator(data.locale).
		locale: locals.locale,
		signedIn: user !== null,
		who: user ? (user.name ?? user.email) : null,
		links: user
			? links
					.filter((l) => l.capability === null || can(user, l.capability))
					.map(({ href, key }) => ({ href, key }))
			: []
	};
};
