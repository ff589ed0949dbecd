import type { RespondentLocale } from '$lib/i18n/locales';
import * as api from './api';
import { DeviceLink } from './device-link.svelte';
import type { ResponseBody } from './outbox';
import { enterFullscreen, keepAwake } from './public-tablet';
import * as flow from './respondent';

/** The languages a citizen can answer the kiosk in (Khmer where the survey offers it). */
export type KioskLocale = RespondentLocale;

export type Screen = 'loading' | 'pairing' | 'welcome' | 'question' | 'thanks' | 'stopped';
export type StopReason = 'revoked' | 'storage' | 'inactive' | 'insecure' | 'unreachable';

const HEARTBEAT_MS = 60_000;
const THANKS_MS = 5_000;
export const IDLE_COUNTDOWN_S = 15;

const RELOAD_EVERY_MS = 60 * 60_000;

/** At most one reload an hour, so servers on two builds during a roll-out cannot loop it. */
function reloadAllowed(): boolean {
	try {
		const last = Number(sessionStorage.getItem('kiosk-reloaded-at') ?? 0);
		if (Date.now() - last < RELOAD_EVERY_MS) return false;
		sessionStorage.setItem('kiosk-reloaded-at', String(Date.now()));
		return true;
	} catch {
		return false;
	}
}

export type IdleStep = { ask: false } | { ask: true; left: number } | { expired: true };

/** Where an untouched respondent stands: fine, being asked (seconds left), or gone. */
export function idleStep(idleMs: number, idleSeconds: number): IdleStep {
	const over = idleMs - idleSeconds * 1000;
	if (over < 0) return { ask: false };
	const left = IDLE_COUNTDOWN_S - Math.floor(over / 1000);
	return left > 0 ? { ask: true, left } : { expired: true };
}

/**
 * The kiosk's screens as one state machine: pairing, the respondent loop, idle resets, the stop
 * screens and the staff panel. Components read this state and call its methods; the server and
 * storage side is the DeviceLink.
 */
export class Kiosk {
	screen = $state<Screen>('loading');
	stopReason = $state<StopReason | null>(null);
	respondent = $state.raw<flow.Respondent | null>(null);
	/** The language of the citizen at the tablet, kept through their thank-you screen. */
	locale = $state<KioskLocale>('vi');
	/** Seconds the thank-you screen still shows before the next citizen's welcome. */
	thanksLeft = $state(0);
	/** Seconds left before an idle respondent's survey is reset; null when nobody is asked. */
	idleLeft = $state<number | null>(null);
	staffOpen = $state(false);
	pinAsked = $state(false);
	readonly link = new DeviceLink({
		revoked: () => this.halt('revoked'),
		activeChanged: (active) => {
			if (!active) this.halt('inactive');
			else if (this.stopReason === 'inactive') void this.connect();
		},
		newBuild: () => (this.reloadWanted = true)
	});
	/** A new build is deployed: reload when nobody is answering (the service worker has it). */
	private reloadWanted = false;

	private lastTouch = Date.now();
	private thanksTimer: ReturnType<typeof setTimeout> | null = null;
	private thanksUntil = 0;

	async start() {
		if (!window.isSecureContext) return this.halt('insecure');
		if (!(await this.link.open())) return this.halt('storage');
		setInterval(() => this.tick(), 1000);
		setInterval(() => void this.beat(), HEARTBEAT_MS);
		addEventListener('online', () => this.link.sendNow());
		document.addEventListener('visibilitychange', () => void keepAwake());
		if (!this.link.device) {
			this.screen = 'pairing';
			return;
		}
		if (await this.link.isRevoked()) return this.halt('revoked');
		await this.connect();
	}

	private async connect() {
		if (!(await this.link.ready())) return this.halt('unreachable');
		this.stopReason = null;
		this.welcome();
		void this.beat();
	}

	private async beat() {
		if (this.stopReason === 'revoked') return;
		const idle = this.screen !== 'question' && this.screen !== 'thanks';
		await this.link.beat(idle);
		if (this.reloadWanted && this.screen === 'welcome' && !this.staffOpen) this.welcome();
		if (this.stopReason === 'unreachable' && this.link.online) await this.connect();
	}

	private halt(reason: StopReason) {
		this.stopReason = reason;
		this.respondent = null;
		this.idleLeft = null;
		this.screen = 'stopped';
	}

	async pair(code: string, pin: string): Promise<string | null> {
		const problem = await this.link.pair(code, pin);
		if (problem === 'storage') {
			this.halt('storage');
			return null;
		}
		if (problem) return problem;
		await this.connect();
		return null;
	}

	async unpair() {
		await this.link.unpair();
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
		void this.link.takePending();
		if (this.reloadWanted && reloadAllowed()) return location.reload();
		if (this.stopReason) return;
		this.screen = 'welcome';
	}

	begin(locale: KioskLocale) {
		enterFullscreen();
		void keepAwake();
		const definition = this.link.definition;
		if (!definition) return;
		this.locale = locale;
		this.respondent = flow.begin(definition, locale);
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
		const device = this.link.device;
		if (!r || !device) return;
		const body: ResponseBody = {
			id: crypto.randomUUID(),
			touchpoint: device.touchpoint,
			answeredAt: api.clock.now().toISOString(),
			locale: r.locale,
			version: r.definition.version,
			answers: flow.answersToSend(r),
			...(partial ? { partial: true } : {})
		};
		this.respondent = null;
		try {
			await this.link.enqueue(body);
		} catch {
			// Not kept on the tablet: hand it to the server straight away if it is there, and stop
			// taking answers that could not be kept.
			await this.link.send(body).catch(() => null);
			return this.halt('storage');
		}
		if (partial) return this.welcome();
		this.screen = 'thanks';
		this.thanksUntil = Date.now() + THANKS_MS;
		this.thanksLeft = THANKS_MS / 1000;
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
		if (this.screen === 'thanks') {
			this.thanksLeft = Math.max(1, Math.ceil((this.thanksUntil - Date.now()) / 1000));
			return;
		}
		if (this.screen !== 'question' || !this.respondent) return;
		const step = idleStep(Date.now() - this.lastTouch, this.link.settings.idleSeconds);
		if (!('expired' in step)) {
			this.idleLeft = step.ask ? step.left : null;
			return;
		}
		const answered = Object.keys(flow.answersToSend(this.respondent)).length > 0;
		if (this.link.settings.idlePolicy === 'submit' && answered) void this.finish(true);
		else this.welcome();
	}

	// Staff.

	sendNow() {
		this.link.sendNow();
		void this.beat();
	}

	async openStaff(pin: string): Promise<boolean> {
		if (!(await this.link.checkPin(pin))) return false;
		this.pinAsked = false;
		this.staffOpen = true;
		await this.link.refreshQueue();
		return true;
	}
}
