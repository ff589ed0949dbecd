import { version as appVersion } from '$app/environment';
import * as api from './api';
import { ConfigStore, IdbOutboxStore, openKioskDb } from './idb';
import { Outbox, type DeadLetter, type ResponseBody } from './outbox';
import { checkPin, hashPin, type PinHash } from './pin';

export interface IdleSettings {
	idleSeconds: number;
	idlePolicy: 'discard' | 'submit';
}

export interface LinkEvents {
	/** The server no longer knows this tablet's token. */
	revoked(): void;
	/** The touchpoint was switched off or on again by an administrator. */
	activeChanged(active: boolean): void;
	/** The server runs another build of the app than this page. */
	newBuild(): void;
}

/**
 * The tablet's tie to the server and its own storage: the device token, the survey definition it
 * shows, the outbox of answers and the heartbeat. It knows nothing of screens.
 */
export class DeviceLink {
	device = $state<api.PairedDevice | null>(null);
	definition = $state.raw<api.KioskDefinition | null>(null);
	settings = $state<IdleSettings>({ idleSeconds: 45, idlePolicy: 'discard' });
	queue = $state({ length: 0, oldest: null as string | null, retryAt: 0 });
	deadLetters = $state.raw<DeadLetter[]>([]);
	lastSyncAt = $state<string | null>(null);
	online = $state(true);
	active = $state(true);

	private config: ConfigStore | null = null;
	private store: IdbOutboxStore | null = null;
	private outbox: Outbox | null = null;
	/** A newer definition, shown from the next respondent on. */
	private pending: api.KioskDefinition | null = null;

	constructor(private events: LinkEvents) {}

	/** Opens storage and reads what the tablet kept; false when it has no usable storage. */
	async open(): Promise<boolean> {
		try {
			const db = await openKioskDb();
			this.config = new ConfigStore(db);
			this.store = new IdbOutboxStore(db);
			// Ask the browser not to evict the outbox under storage pressure.
			void navigator.storage?.persist?.().catch(() => false);
			this.outbox = new Outbox(this.store, (body) => this.send(body), {
				synced: (at) => {
					this.lastSyncAt = at.toISOString();
					void this.config?.set('lastSyncAt', this.lastSyncAt).catch(() => {});
				},
				revoked: () => void this.markRevoked(),
				changed: () => void this.refreshQueue()
			});
			this.device = (await this.config.get<api.PairedDevice>('device')) ?? null;
			this.definition = (await this.config.get<api.KioskDefinition>('definition')) ?? null;
			this.settings = (await this.config.get<IdleSettings>('settings')) ?? this.settings;
			this.lastSyncAt = (await this.config.get<string>('lastSyncAt')) ?? null;
			await this.refreshQueue();
			return true;
		} catch {
			return false;
		}
	}

	async isRevoked(): Promise<boolean> {
		return (await this.config?.get<boolean>('revoked')) === true;
	}

	/** Makes sure a definition is at hand; false when there is none and no server to ask. */
	async ready(): Promise<boolean> {
		if (!this.definition && this.device) {
			try {
				await this.adopt(await api.definition(this.device.survey));
			} catch {
				this.online = false;
				return false;
			}
		}
		this.outbox?.resume();
		return !!this.definition;
	}

	async pair(code: string, pin: string): Promise<'serverUnreachable' | 'storage' | string | null> {
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
			return 'storage';
		}
		this.device = outcome.device;
		return null;
	}

	/** Staff chose to pair again: the token goes, the queue and dead letters stay. */
	async unpair() {
		this.outbox?.stop();
		await this.config?.delete('device');
		this.device = null;
	}

	async checkPin(pin: string): Promise<boolean> {
		const stored = await this.config?.get<PinHash>('pin');
		return !!stored && (await checkPin(pin, stored));
	}

	/** Applies a definition fetched meanwhile; call it only between respondents. */
	async takePending() {
		if (this.pending) await this.adopt(this.pending).catch(() => {});
	}

	private async adopt(def: api.KioskDefinition) {
		await this.config?.set('definition', def);
		this.definition = def;
		this.pending = null;
	}

	/** Resolves once the answer is on disk; throws when the tablet cannot keep it. */
	async enqueue(body: ResponseBody) {
		await this.outbox!.enqueue(body);
	}

	async send(body: ResponseBody) {
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

	private async markRevoked() {
		await this.config?.set('revoked', true).catch(() => {});
		this.events.revoked();
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

	sendNow() {
		this.outbox?.resume();
	}

	async retryDead() {
		await this.store?.requeueDead();
		await this.refreshQueue();
		this.outbox?.resume();
	}

	/**
	 * Reports the queue and connection, and learns the touchpoint's idle rule, whether it is
	 * active, and the survey's current version (fetched now, shown from the next respondent on).
	 */
	async beat(idle: boolean) {
		if (!this.device) return;
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
		this.online = outcome !== null;
		if (!outcome) return;
		if (!outcome.ok) {
			if (outcome.status === 401) await this.markRevoked();
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
		if (
			expected.place &&
			JSON.stringify(expected.place) !== JSON.stringify(this.device.place ?? null)
		) {
			this.device = { ...this.device, place: expected.place };
			void this.config?.set('device', $state.snapshot(this.device)).catch(() => {});
		}
		if (expected.appVersion && expected.appVersion !== appVersion) this.events.newBuild();
		if (expected.active !== this.active) {
			this.active = expected.active;
			this.events.activeChanged(expected.active);
		}
		const languagesChanged =
			expected.languages !== undefined &&
			expected.languages.join() !== (this.definition?.languages ?? ['vi', 'en']).join();
		if (
			expected.version !== null &&
			(expected.version !== this.definition?.version || languagesChanged)
		) {
			const def = await api.definition(expected.survey).catch(() => null);
			if (def) {
				this.pending = def;
				if (idle) await this.takePending();
			}
		}
		void this.outbox?.flush();
	}
}
