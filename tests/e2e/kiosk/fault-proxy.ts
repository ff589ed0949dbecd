import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A proxy between the tablet and the server that breaks the network on demand, the way a
 * reception hall's Wi-Fi does: everything down, a 500, a refusal, or the connection cut after the
 * server has stored the response but before its answer reaches the tablet.
 */
export type ResponseFault = 'status500' | 'status422' | 'cutAfterCommit';

export interface Posted {
	id: string | null;
	/** What the tablet got: the status, or 'cut' when the connection dropped. */
	seen: number | 'cut';
	/** What the server answered, when the request reached it. */
	upstream: number | null;
	body: Record<string, unknown> | null;
}

export class FaultProxy {
	down = false;
	/** One-shot faults, applied in order to the next POSTs of responses. */
	faults: ResponseFault[] = [];
	posted: Posted[] = [];
	heartbeats = 0;
	private server: Server;
	private sockets = new Set<Socket>();

	constructor(
		private upstreamPort: number,
		readonly port: number
	) {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			if (this.down) return socket.destroy();
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	listen(): Promise<void> {
		return new Promise((resolve) => this.server.listen(this.port, '127.0.0.1', resolve));
	}

	close(): Promise<void> {
		this.cut();
		return new Promise((resolve) => this.server.close(() => resolve()));
	}

	/** The network is gone: open connections drop and new ones are refused. */
	setDown(down: boolean) {
		this.down = down;
		if (down) this.cut();
	}

	stored(id: string): Posted[] {
		return this.posted.filter((p) => p.id === id);
	}

	private cut() {
		for (const socket of this.sockets) socket.destroy();
		this.sockets.clear();
	}

	private async handle(req: IncomingMessage, res: import('node:http').ServerResponse) {
		if (this.down) return req.socket.destroy();
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		if (req.url === '/api/v1/devices/heartbeat') this.heartbeats++;
		if (req.method !== 'POST' || req.url !== '/api/v1/responses') {
			return this.pass(req, body).then(
				(up) => {
					res.writeHead(up.status, up.headers);
					res.end(up.body);
				},
				() => req.socket.destroy()
			);
		}
		let parsed: Record<string, unknown> | null = null;
		try {
			parsed = JSON.parse(body.toString('utf8'));
		} catch {
			parsed = null;
		}
		const record: Posted = {
			id: typeof parsed?.id === 'string' ? parsed.id : null,
			seen: 'cut',
			upstream: null,
			body: parsed
		};
		this.posted.push(record);
		const fault = this.faults.shift();
		if (fault === 'status500' || fault === 'status422') {
			record.seen = fault === 'status500' ? 500 : 422;
			res.writeHead(record.seen, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					errors: [{ path: 'answers', message: `Lỗi giả lập ${record.seen} (fault proxy)` }]
				})
			);
			return;
		}
		try {
			const up = await this.pass(req, body);
			record.upstream = up.status;
			if (fault === 'cutAfterCommit') return req.socket.destroy();
			record.seen = up.status;
			res.writeHead(up.status, up.headers);
			res.end(up.body);
		} catch {
			req.socket.destroy();
		}
	}

	private pass(
		req: IncomingMessage,
		body: Buffer
	): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
		return new Promise((resolve, reject) => {
			const out = forward(
				{
					host: '127.0.0.1',
					port: this.upstreamPort,
					method: req.method,
					path: req.url,
					headers: { ...req.headers, connection: 'close' }
				},
				async (up) => {
					const parts: Buffer[] = [];
					for await (const part of up) parts.push(part as Buffer);
					const headers = { ...up.headers };
					delete headers['transfer-encoding'];
					delete headers.connection;
					resolve({ status: up.statusCode ?? 502, headers, body: Buffer.concat(parts) });
				}
			);
			out.on('error', reject);
			out.end(body);
		});
	}
}
