import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Tests beside the code reach the shared helpers without ../../../ ladders.
		alias: { $tests: 'tests' },
		adapter: adapter({ precompress: true }),
		// The kiosk page registers it itself, with scope /kiosk; other pages never load it.
		serviceWorker: { register: false },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// The one style attribute of src/app.html (the wrapper of every page), by its hash;
				// no other inline style is allowed.
				'style-src': [
					'self',
					'unsafe-hashes',
					'sha256-tcbDxjMo+xKqM21aCGYbs/QAJqB7yUXC06oPWDapBgc='
				],
				'img-src': ['self', 'data:'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
