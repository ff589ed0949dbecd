import type { Handle } from '@sveltejs/kit';

/**
 * Pages gzipped on the wire when the browser accepts it: a survey page of 58 KB arrives as about
 * 6 KB on 3G. Only HTML rendered here: assets are precompressed by the adapter, and downloads
 * (CSV, XLSX, PDF) stream as they are. A proxy in front may do this instead; it then sees a
 * Content-Encoding and leaves the body alone.
 */
export const compressPages: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (
		!response.body ||
		!type.startsWith('text/html') ||
		response.headers.has('content-encoding') ||
		!acceptsGzip(event.request.headers.get('accept-encoding'))
	) {
		return response;
	}
	const headers = new Headers(response.headers);
	headers.set('Content-Encoding', 'gzip');
	headers.append('Vary', 'Accept-Encoding');
	headers.delete('Content-Length');
	return new Response(response.body.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
};

/** Whether an Accept-Encoding header takes gzip (not refused with q=0). */
export function acceptsGzip(header: string | null): boolean {
	if (!header) return false;
	return header.split(',').some((part) => {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (name !== 'gzip' && name !== '*') return false;
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
		return !q || Number(q.slice(2)) > 0;
	});
}
