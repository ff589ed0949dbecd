/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/// <reference types="@sveltejs/kit" />
// Registered by the kiosk page only, with scope /kiosk: respondent pages on phones stay plain.
// It keeps the kiosk's shell, its code and the survey definitions, so a tablet reloaded or
// rebooted without network opens the kiosk again. Answers never pass through here: they wait in
// the page's IndexedDB outbox.
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `kiosk-${version}`;
const SHELL = '/kiosk';
const NETWORK_WAIT_MS = 4000;
const assets = new Set([...build, ...files]);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll([...assets, SHELL]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
			.then(() => sw.clients.claim())
	);
});

/** The network when it answers within a few seconds (and refresh the copy), else the copy. */
async function networkFirst(request: Request, key: string): Promise<Response> {
	const cache = await caches.open(CACHE);
	try {
		const response = await Promise.race([
			fetch(request),
			new Promise<never>((_, reject) =>
				setTimeout(() => reject(new Error('slow')), NETWORK_WAIT_MS)
			)
		]);
		if (response.ok) await cache.put(key, response.clone());
		return response;
	} catch (error) {
		const copy = await cache.match(key);
		if (copy) return copy;
		throw error;
	}
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (assets.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
	} else if (request.mode === 'navigate' && url.pathname.startsWith(SHELL)) {
		event.respondWith(networkFirst(request, SHELL));
	} else if (url.pathname.startsWith('/api/v1/surveys/')) {
		event.respondWith(networkFirst(request, url.pathname));
	}
});
