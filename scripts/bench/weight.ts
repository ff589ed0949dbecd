import { gzipSync } from 'node:zlib';

export interface PageWeight {
	path: string;
	htmlBytes: number;
	htmlGzipBytes: number;
	assets: { url: string; bytes: number; gzipBytes: number }[];
	/** JS + CSS a first visit loads, each file gzipped at level 9; the budget is 40 KiB. */
	jsCssGzipBytes: number;
}

const gzipped = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

function attributes(tag: string): Record<string, string> {
	const found: Record<string, string> = {};
	for (const m of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
		found[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
	}
	return found;
}

/** Every stylesheet and script the HTML makes the browser fetch on first load. */
export function assetUrls(html: string, base: string): string[] {
	const urls = new Set<string>();
	const add = (href: string | undefined) => href && urls.add(new URL(href, base).href);
	for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
		const a = attributes(tag);
		const rel = (a.rel ?? '').toLowerCase().split(/\s+/);
		const preloadsCode = rel.includes('preload') && (a.as === 'style' || a.as === 'script');
		if (rel.includes('stylesheet') || rel.includes('modulepreload') || preloadsCode) add(a.href);
	}
	for (const [tag, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
		add(attributes(tag).src);
		// SvelteKit starts the app from an inline script with import("…"): those load too.
		for (const m of (body ?? '').matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) add(m[1]);
	}
	return [...urls];
}

async function fetchBytes(url: string): Promise<Uint8Array> {
	// Ask for the plain file so the sizes are the files' own, gzipped here the same way for all.
	const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
	if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
	return new Uint8Array(await res.arrayBuffer());
}

export async function measurePageWeight(serverUrl: string, code: string): Promise<PageWeight> {
	const path = `/s/${code}`;
	const page = `${serverUrl}${path}`;
	const html = await fetchBytes(page);
	const assets = [];
	for (const url of assetUrls(new TextDecoder().decode(html), page)) {
		const bytes = await fetchBytes(url);
		assets.push({
			url: url.replace(serverUrl, ''),
			bytes: bytes.length,
			gzipBytes: gzipped(bytes)
		});
	}
	return {
		path,
		htmlBytes: html.length,
		htmlGzipBytes: gzipped(html),
		assets,
		jsCssGzipBytes: assets.reduce((sum, a) => sum + a.gzipBytes, 0)
	};
}
