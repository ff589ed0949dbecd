import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, compressPages } from './compress';

const page = '<!doctype html><title>Khảo sát</title>' + '<p>Ông/Bà hài lòng?</p>'.repeat(200);

async function through(acceptEncoding: string | null, type = 'text/html; charset=utf-8') {
	const headers = new Headers(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {});
	return compressPages({
		event: { request: new Request('http://localhost/s/abc', { headers }) } as never,
		resolve: async () =>
			new Response(page, {
				status: 400,
				headers: { 'content-type': type, 'content-length': String(Buffer.byteLength(page)) }
			})
	});
}

describe('pages on the wire', () => {
	it('are gzipped for a browser that takes gzip, whole and with their status', async () => {
		const response = await through('gzip, deflate, br');
		expect(response.status).toBe(400);
		expect(response.headers.get('content-encoding')).toBe('gzip');
		expect(response.headers.get('vary')).toContain('Accept-Encoding');
		expect(response.headers.has('content-length')).toBe(false);
		const body = Buffer.from(await response.arrayBuffer());
		expect(body.length).toBeLessThan(Buffer.byteLength(page) / 5);
		expect(gunzipSync(body).toString('utf8')).toBe(page);
	});

	it('are sent as they are to a client that does not take gzip', async () => {
		for (const header of [null, 'identity', 'br', 'gzip;q=0']) {
			const response = await through(header);
			expect(response.headers.has('content-encoding'), String(header)).toBe(false);
			expect(await response.text()).toBe(page);
		}
	});

	it('leave downloads alone: only HTML is compressed here', async () => {
		const response = await through('gzip', 'text/csv; charset=utf-8');
		expect(response.headers.has('content-encoding')).toBe(false);
	});
});

describe('acceptsGzip', () => {
	it('reads q-values and the wildcard', () => {
		expect(acceptsGzip('gzip;q=0.5, br')).toBe(true);
		expect(acceptsGzip('*')).toBe(true);
		expect(acceptsGzip('GZIP')).toBe(true);
		expect(acceptsGzip('gzip; q=0')).toBe(false);
		expect(acceptsGzip('deflate')).toBe(false);
	});
});
