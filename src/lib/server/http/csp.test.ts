import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config from '../../../../svelte.config.js';
import { securityHeaders } from '$lib/server/http/handles';

// Sources that would let an injected script run: inline code, eval, or any script from anywhere.
const UNSAFE_SCRIPT_SOURCES = [
	"'unsafe-inline'",
	"'unsafe-eval'",
	"'unsafe-hashes'",
	'unsafe-inline',
	'unsafe-eval',
	'unsafe-hashes',
	'*',
	'data:',
	'blob:',
	'http:',
	'https:'
];

function directive(header: string, name: string): string[] | null {
	const found = header
		.split(';')
		.map((d) => d.trim().split(/\s+/))
		.find(([n]) => n === name);
	return found ? found.slice(1) : null;
}

/**
 * The header SvelteKit's renderer builds for a page from our `kit.csp`, with the inline script
 * that starts the app. Kit's CSP class is internal, so it is loaded from its file: if a Kit
 * upgrade moves it, this fails loudly rather than passing on a guess.
 */
async function kitPageHeader(): Promise<string> {
	(globalThis as { __SVELTEKIT_DEV__?: boolean }).__SVELTEKIT_DEV__ = false;
	const file = '../../../../node_modules/@sveltejs/kit/src/runtime/server/page/csp.js';
	const { Csp } = await import(/* @vite-ignore */ file);
	const csp = new Csp({ reportOnly: {}, ...config.kit?.csp }, { prerender: false });
	csp.add_script('__sveltekit_boot = { base: "" }; Promise.all([import("/_app/start.js")]);');
	return csp.csp_provider.get_header();
}

/** Runs a page response through the security-headers hook, as hooks.server.ts does. */
async function throughHook(kitHeader: string) {
	const url = new URL('http://localhost/s/abc');
	const response = await securityHeaders({
		event: { url, route: { id: '/(respond)/s/[code]' }, locals: {} } as never,
		resolve: async () =>
			new Response('<!doctype html><p>ok</p>', {
				headers: { 'content-type': 'text/html', 'content-security-policy': kitHeader }
			})
	});
	return response.headers.get('content-security-policy') ?? '';
}

describe('content security policy', () => {
	it('allows scripts only from our origin and by hash, never inline or eval', () => {
		const csp = config.kit?.csp;
		expect(csp?.mode).toBe('hash');
		const directives = (csp?.directives ?? {}) as Record<string, string[] | undefined>;
		expect(directives['script-src']).toEqual(['self']);
		for (const name of ['default-src', 'script-src', 'script-src-elem', 'script-src-attr']) {
			for (const source of directives[name] ?? []) {
				expect(UNSAFE_SCRIPT_SOURCES, `${name} ${source}`).not.toContain(source);
			}
		}
		expect(directives['object-src']).toEqual(['none']);
		expect(directives['base-uri']).toEqual(['none']);
	});

	it("an HTML page's header has no 'unsafe-inline' in script-src, only 'self' and the boot script's hash", async () => {
		const header = await throughHook(await kitPageHeader());
		const scriptSrc = directive(header, 'script-src');
		expect(scriptSrc).not.toBeNull();
		expect(scriptSrc).toContain("'self'");
		for (const source of scriptSrc ?? []) {
			expect(source === "'self'" || /^'sha256-[A-Za-z0-9+/=]+'$/.test(source), source).toBe(true);
		}
		expect(header).not.toContain('unsafe-inline');
		expect(header).not.toContain('unsafe-eval');
		expect(directive(header, 'frame-ancestors')).toEqual(["'none'"]);
		expect(directive(header, 'object-src')).toEqual(["'none'"]);
	});

	it('lets the page wrapper of app.html keep its style attribute, and no other inline style', async () => {
		const template = readFileSync('src/app.html', 'utf8');
		const styles = [...template.matchAll(/ style="([^"]*)"/g)].map((m) => m[1]!);
		expect(styles).toEqual(['display: contents']);
		const hash = createHash('sha256').update(styles[0]!).digest('base64');
		const styleSrc = directive(await throughHook(await kitPageHeader()), 'style-src');
		expect(styleSrc).toEqual(["'self'", "'unsafe-hashes'", `'sha256-${hash}'`]);
	});
});
