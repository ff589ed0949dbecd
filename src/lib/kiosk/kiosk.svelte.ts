import { version as appVersion } from '$app/environment';
import type { SurveyDefinition } from '$lib/survey/definition';
import * as api from './api';
import { ConfigStore, IdbOutboxStore, openKioskDb } from './idb';
import { Outbox, type DeadLetter, type ResponseBody } from './outbox';
import { checkPin, hashPin, type PinHash } from './pin';
import { enterFullscreen, keepAwake } from './public-tablet';
import * as flow from './respondent';

export type Screen = 'loading' | 'pairing' | 'welcome' | 'question' | 'thanks' | 'stopped';
export type StopReason = 'revoked' | 'storage' | 'inactive' | 'insecure' | 'unreachable';

const HEARTBEAT_MS = 60_000;
const THANKS_MS = 5_000;
export const IDLE_COUNTDOWN_S = 15;

/**
 * The kiosk as one state machine: pairing, the respondent loop, the outbox and the heartbeat.
 * Components only read this state and call its methods.
 */
export class Kiosk {
	screen = $state<Screen>('loading');
	stopReason = $state<StopReason | null>(null);
	device = $state<api.PairedDevice | null>(null);
	definition = $state.raw<SurveyDefinition | null>(null);
	settings = $state({ idleSeconds: 45, idlePolicy: 'discard' as 'discard' | 'submit' });
	respondent = $state.raw<flow.Respondent | null>(null);
	/** The language of the citizen at the tablet, kept through their thank-you screen. */
	locale = $state<'vi' | 'en'>('vi');
	/** Seconds left before an idle respondent's survey is reset; null when nobody is asked. */
	idleLeft = $state<number | null>(null);
	queue = $state({ length: 0, oldest: null as string | null, retryAt: 0 });
	deadLetters = $state.raw<DeadLetter[]>([]);
	lastSyncAt = $state<string | null>(null);
	online = $state(true);
	staffOpen = $state(false);
	pinAsked = $state(false);

	private config: ConfigStore | null = null;
	private store: IdbOutboxStore | null = null;
	private outbox: Outbox | null = null;
	private pending: SurveyDefinition | null = null;
	private lastTouch = Date.now();
	private timers: ReturnType<typeof setInterval>[] = [];
	private thanksTimer: ReturnType<typeof setTimeout> | null = null;

	async start() {
		if (!window.isSecureContext) return this.halt('insecure');
		try {
			const db = await openKioskDb();
			this.config = new ConfigStore(db);
			this.store = new IdbOutboxStore(db);
		} catch {
			return this.halt('storage');
		}
		void navigator.storage?.persist?.().catch(() => false);
		this.outbox = new Outbox(this.store, (body) => this.sendOne(body), {
			synced: (at) => {
				this.lastSyncAt = at.toISOString();
				this.online = true;
				void this.config?.set('lastSyncAt', this.lastSyncAt).catch(() => {});
			},
			revoked: () => void this.revoked(),
			changed: () => void this.refreshQueue()
		});
		this.device = (await this.config.get<api.PairedDevice>('device')) ?? null;
		this.definition = (await this.config.get<SurveyDefinition>('definition')) ?? null;
		this.settings = (await this.config.get<Kiosk['settings']>('settings')) ?? this.settings;
		this.lastSyncAt = (await this.config.get<string>('lastSyncAt')) ?? null;
		await this.refreshQueue();
		this.timers.push(setInterval(() => this.tick(), 1000));
		this.timers.push(setInterval(() => void this.beat(), HEARTBEAT_MS));
		addEventListener('online', () => this.outbox?.resume());
		document.addEventListener('visibilitychange', () => void keepAwake());
		if (!this.device) {
			this.screen = 'pairing';
			return;
		}
		if (await this.config.get<boolean>('revoked')) return this.halt('revoked');
		await this.connect();
	}

	/** With a device token: fetch what is missing, report in, send what waits, open the loop. */
	private async connect() {
		if (!this.definition) {
			try {
				await this.adopt(await api.definition(this.device!.survey));
			} catch {
				this.online = false;
				return this.halt('unreachable');
			}
		}
		this.stopReason = null;
		this.outbox?.resume();
		this.welcome();
		void this.beat();
	}

	private halt(reason: StopReason) {
		this.stopReason = reason;
		this.respondent = null;
		this.idleLeft = null;
		this.screen = 'stopped';
	}

	private async adopt(def: SurveyDefinition) {
		await this.config?.set('definition', def);
		this.definition = def;
		this.pending = null;
	}

	async pair(code: string, pin: string): Promise<string | null> {
		let outcome: api.PairOutcome;
		try {
			outcome = await api.pair(code.trim());
		} catch {
			return 'serverUnreachable';
		}
		if (!outcome.ok) return outcome.message ?? `HTTP ${outcome.status}`;
		try {
			await this.config!.set('pin', await hashPin(pin));
			await this.config!.set('device', outcome.device);
			await this.config!.delete('revoked');
			if (this.definition?.id !== outcome.device.survey) {
				await this.config!.delete('definition');
				this.definition = null;
			}
		} catch {
			this.halt('storage');
			return null;
		}
		this.device = outcome.device;
		await this.connect();
		return null;
	}

	/** Staff chose to pair again: the token goes, the queue and dead letters stay. */
	async unpair() {
		await this.config?.delete('device');
		this.device = null;
		this.outbox?.stop();
		this.staffOpen = false;
		this.stopReason = null;
		this.screen = 'pairing';
	}

	// The respondent loop.

	welcome() {
		if (this.thanksTimer) clearTimeout(this.thanksTimer);
		this.respondent = null;
		this.locale = 'vi';
		this.idleLeft = null;
		if (this.pending) void this.adopt(this.pending);
		if (this.stopReason) return;
		this.screen = 'welcome';
	}

	begin(locale: 'vi' | 'en') {
		enterFullscreen();
		void keepAwake();
		if (!this.definition) return;
		this.locale = locale;
		this.respondent = flow.begin(this.definition, locale);
		this.screen = 'question';
	}

	/** A tap on a level or a single choice answers and moves on; other types wait for "next". */
	answer(id: string, value: flow.Given | undefined, advance: boolean) {
		if (!this.respondent) return;
		this.respondent = flow.withAnswer(this.respondent, id, value);
		if (advance) void this.next();
	}

	async next() {
		if (!this.respondent) return;
		const moved = flow.forward(this.respondent);
		if (moved) this.respondent = moved;
		else await this.finish(false);
	}

	back() {
		if (!this.respondent) return;
		this.respondent = flow.backward(this.respondent) ?? this.respondent;
	}

	private async finish(partial: boolean) {
		const r = this.respondent;
		if (!r || !this.device) return;
		const answers = flow.answersToSend(r);
		const body: ResponseBody = {
			id: crypto.randomUUID(),
			touchpoint: this.device.touchpoint,
			answeredAt: api.clock.now().toISOString(),
			locale: r.locale,
			version: r.definition.version,
			answers,
			...(partial ? { partial: true } : {})
		};
		this.respondent = null;
		try {
			await this.outbox!.enqueue(body);
		} catch {
			// Not kept on the tablet: hand it to the server straight away if it is there, and stop
			// taking answers that could not be kept.
			await this.sendOne(body).catch(() => null);
			return this.halt('storage');
		}
		if (partial) return this.welcome();
		this.screen = 'thanks';
		this.thanksTimer = setTimeout(() => this.welcome(), THANKS_MS);
	}

	// Idle respondents.

	touched() {
		this.lastTouch = Date.now();
	}

	keepGoing() {
		this.idleLeft = null;
		this.touched();
	}

	private tick() {
		if (this.screen !== 'question' || !this.respondent) return;
		const idleMs = Date.now() - this.lastTouch;
		const limit = this.settings.idleSeconds * 1000;
		if (idleMs < limit) {
			this.idleLeft = null;
			return;
		}
		const left = IDLE_COUNTDOWN_S - Math.floor((idleMs - limit) / 1000);
		if (left > 0) {
			this.idleLeft = left;
			return;
		}
		const answered = Object.keys(flow.answersToSend(this.respondent)).length > 0;
		if (this.settings.idlePolicy === 'submit' && answered) void this.finish(true);
		else this.welcome();
	}

	// Sending and reporting.

	private async sendOne(body: ResponseBody) {
		if (!this.device) return { status: 401 };
		try {
			const attempt = await api.send(this.device.token, body);
			this.online = true;
			return attempt;
		} catch (error) {
			this.online = false;
			throw error;
		}
	}

	private async revoked() {
		await this.config?.set('revoked', true).catch(() => {});
		this.halt('revoked');
	}

	async refreshQueue() {
		if (!this.store) return;
		const items = await this.store.all();
		this.queue = {
			length: items.length,
			oldest: items[0]?.queuedAt ?? null,
			retryAt: this.outbox?.retryAt ?? 0
		};
		this.deadLetters = await this.store.dead();
	}

	async beat() {
		if (!this.device || this.stopReason === 'revoked') return;
		const outcome = await api
			.heartbeat(this.device.token, {
				queueLength: this.queue.length,
				oldestQueuedAt: this.queue.oldest,
				lastSyncAt: this.lastSyncAt,
				deadLetters: this.deadLetters.length,
				appVersion: appVersion.replace(/[^\w.+-]/g, '').slice(0, 40),
				online: navigator.onLine
			})
			.catch(() => null);
		if (!outcome) {
			this.online = false;
			return;
		}
		this.online = true;
		if (!outcome.ok) {
			if (outcome.status === 401) await this.revoked();
			return;
		}
		const { expected } = outcome;
		if (
			expected.idleSeconds !== this.settings.idleSeconds ||
			expected.idlePolicy !== this.settings.idlePolicy
		) {
			this.settings = { idleSeconds: expected.idleSeconds, idlePolicy: expected.idlePolicy };
			void this.config?.set('settings', $state.snapshot(this.settings)).catch(() => {});
		}
		if (!expected.active) this.halt('inactive');
		else if (this.stopReason === 'inactive' || this.stopReason === 'unreachable')
			await this.connect();
		if (expected.version !== null && expected.version !== this.definition?.version) {
			await this.pickUp(expected.survey);
		}
		this.outbox?.flush();
	}

	/** A new version is fetched now and shown from the next respondent on. */
	private async pickUp(survey: string) {
		const def = await api.definition(survey).catch(() => null);
		if (!def) return;
		this.pending = def;
		if (this.screen === 'welcome' || this.screen === 'stopped') await this.adopt(def);
	}

	// Staff.

	async openStaff(pin: string): Promise<boolean> {
		const stored = await this.config?.get<PinHash>('pin');
		if (!stored || !(await checkPin(pin, stored))) return false;
		this.pinAsked = false;
		this.staffOpen = true;
		await this.refreshQueue();
		return true;
	}

	sendNow() {
		this.outbox?.resume();
		void this.beat();
	}

	async retryDead() {
		await this.store?.requeueDead();
		await this.refreshQueue();
		this.outbox?.resume();
	}
}
