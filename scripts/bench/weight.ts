import { gzipSync } from 'node:zlib';

export interface PageWeight {
	path: string;
	htmlBytes: number;
	htmlGzipBytes: number;
	assets: { url: string; bytes: number; gzipBytes: number }[];
	/** JS + CSS a first visit loads, each file gzipped at level 9; the budget is 40 KiB. */
	jsCssGzipBytes: number;
	/** The font files the page's own text makes the browser fetch (woff2 is compressed already). */
	fonts: { url: string; bytes: number }[];
	/** HTML and JS + CSS gzipped, plus those fonts: what a first visit downloads; budget 120 KiB. */
	firstLoadBytes: number;
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

type Face = { url: string; ranges: [number, number][] };

/** The @font-face rules of a stylesheet: each woff2 file and the characters it covers. */
export function fontFaces(css: string, base: string): Face[] {
	const faces: Face[] = [];
	for (const [, body] of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
		const url = /url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/.exec(body!)?.[1];
		if (!url) continue;
		const range = /unicode-range:\s*([^;]+)/.exec(body!)?.[1] ?? 'U+0-10FFFF';
		const ranges = range.split(',').map((r): [number, number] => {
			const [from, to] = r.trim().replace(/^U\+/i, '').split('-');
			return [parseInt(from!, 16), parseInt(to ?? from!, 16)];
		});
		faces.push({ url: new URL(url, base).href, ranges });
	}
	return faces;
}

/** The faces a browser fetches for this text: those covering at least one of its characters. */
export function facesFor(text: string, faces: Face[]): Face[] {
	const points = new Set([...text].map((c) => c.codePointAt(0)!));
	return faces.filter((f) => [...points].some((p) => f.ranges.some(([a, b]) => p >= a && p <= b)));
}

/** The words a reader sees: the HTML without its tags, scripts and styles. */
const visibleText = (html: string) =>
	html
		.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&[a-z]+;|&#\d+;/gi, ' ');

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
	const faces: Face[] = [];
	for (const url of assetUrls(new TextDecoder().decode(html), page).filter((u) =>
		u.endsWith('.css')
	))
		faces.push(...fontFaces(new TextDecoder().decode(await fetchBytes(url)), url));
	// One file serves every weight or range it is declared for: fetched once.
	const fontUrls = [
		...new Set(facesFor(visibleText(new TextDecoder().decode(html)), faces).map((f) => f.url))
	];
	const fonts = [];
	for (const url of fontUrls)
		fonts.push({ url: url.replace(serverUrl, ''), bytes: (await fetchBytes(url)).length });
	const jsCssGzipBytes = assets.reduce((sum, a) => sum + a.gzipBytes, 0);
	const htmlGzipBytes = gzipped(html);
	return {
		path,
		htmlBytes: html.length,
		htmlGzipBytes,
		assets,
		jsCssGzipBytes,
		fonts,
		firstLoadBytes: htmlGzipBytes + jsCssGzipBytes + fonts.reduce((sum, f) => sum + f.bytes, 0)
	};
}
