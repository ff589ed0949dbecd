/**
 * The kiosk's outbox: every answered survey is written here before the thank-you screen and
 * leaves only when the server confirms it (201 stored or 200 duplicate). The response id is the
 * idempotency key, so sending again after a lost answer never stores twice.
 */
import type { RespondentLocale } from '$lib/i18n/locales';

export interface ResponseBody {
	id: string;
	touchpoint: string;
	answeredAt: string;
	locale: RespondentLocale;
	version: number;
	answers: Record<string, number | string | string[]>;
	partial?: boolean;
}

export interface QueuedResponse {
	id: string;
	body: ResponseBody;
	queuedAt: string;
	attempts: number;
	lastError: string | null;
}

/** An answer the server refused for good (4xx): kept and shown to staff, never dropped. */
export interface DeadLetter {
	id: string;
	body: ResponseBody;
	queuedAt: string;
	failedAt: string;
	status: number;
	errors: { path: string; message: string }[];
}

export interface OutboxStore {
	add(item: QueuedResponse): Promise<void>;
	/** Oldest first. */
	all(): Promise<QueuedResponse[]>;
	update(item: QueuedResponse): Promise<void>;
	remove(id: string): Promise<void>;
	toDead(id: string, letter: DeadLetter): Promise<void>;
	dead(): Promise<DeadLetter[]>;
	requeueDead(): Promise<number>;
}

/** What came back for one attempt; `status` 0 means no answer at all (network down, cut). */
export interface Attempt {
	status: number;
	errors?: { path: string; message: string }[];
	retryAfterSeconds?: number;
}

export type Verdict = 'done' | 'retry' | 'dead' | 'revoked';

/** 401: the token is gone (revoked). 408, 425, 429 and 5xx are passing; other 4xx are final. */
export function verdict(status: number): Verdict {
	if (status === 200 || status === 201) return 'done';
	if (status === 401) return 'revoked';
	if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500)
		return 'retry';
	if (status >= 400) return 'dead';
	return 'retry';
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential back-off with ±20% jitter, so a hall of kiosks does not retry in step. */
export function backoffMs(failures: number, random = Math.random()): number {
	const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1));
	return Math.round(base * (0.8 + 0.4 * random));
}

export interface OutboxEvents {
	/** A response left the queue because the server has it. */
	synced(at: Date): void;
	/** The server no longer knows the device token. */
	revoked(): void;
	/** The queue or dead-letter list changed. */
	changed(): void;
}

export class Outbox {
	private running = false;
	private again = false;
	private failures = 0;
	private pausedUntil = 0;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private stopped = false;

	constructor(
		private store: OutboxStore,
		private send: (body: ResponseBody) => Promise<Attempt>,
		private events: OutboxEvents,
		private now: () => number = () => Date.now()
	) {}

	/** Writes the response durably; resolves only once it is on disk. */
	async enqueue(body: ResponseBody): Promise<void> {
		await this.store.add({
			id: body.id,
			body,
			queuedAt: new Date(this.now()).toISOString(),
			attempts: 0,
			lastError: null
		});
		this.events.changed();
		void this.flush();
	}

	/** Back on line, or staff asked: forget the back-off and send now. */
	resume(): void {
		this.stopped = false;
		this.failures = 0;
		this.pausedUntil = 0;
		void this.flush();
	}

	/** Stop sending (revoked token); the queue is kept. */
	stop(): void {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	get retryAt(): number {
		return this.pausedUntil;
	}

	async flush(): Promise<void> {
		if (this.stopped) return;
		if (this.running) {
			this.again = true;
			return;
		}
		if (this.now() < this.pausedUntil) return this.schedule();
		this.running = true;
		try {
			do {
				this.again = false;
				const paused = await this.sendAll();
				if (paused) break;
			} while (this.again && !this.stopped);
		} finally {
			this.running = false;
		}
		this.schedule();
	}

	/** Sends oldest first; returns true when it stopped to back off. */
	private async sendAll(): Promise<boolean> {
		for (const item of await this.store.all()) {
			if (this.stopped) return true;
			const attempt = await this.send(item.body).catch(() => ({ status: 0 }) as Attempt);
			switch (verdict(attempt.status)) {
				case 'done':
					await this.store.remove(item.id);
					this.failures = 0;
					this.events.synced(new Date(this.now()));
					this.events.changed();
					break;
				case 'dead':
					await this.store.toDead(item.id, {
						id: item.id,
						body: item.body,
						queuedAt: item.queuedAt,
						failedAt: new Date(this.now()).toISOString(),
						status: attempt.status,
						errors: attempt.errors ?? []
					});
					this.events.changed();
					break;
				case 'revoked':
					this.stop();
					this.events.revoked();
					return true;
				case 'retry': {
					this.failures++;
					const wait = Math.max(backoffMs(this.failures), (attempt.retryAfterSeconds ?? 0) * 1000);
					this.pausedUntil = this.now() + Math.min(wait, MAX_DELAY_MS);
					await this.store.update({
						...item,
						attempts: item.attempts + 1,
						lastError: attempt.status ? `HTTP ${attempt.status}` : 'network'
					});
					this.events.changed();
					return true;
				}
			}
		}
		return false;
	}

	private schedule() {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		if (this.stopped || this.pausedUntil <= this.now()) return;
		this.timer = setTimeout(() => void this.flush(), this.pausedUntil - this.now());
	}
}
