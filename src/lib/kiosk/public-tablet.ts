/**
 * What a shared, unattended tablet needs from the browser: fullscreen on the first tap (browsers
 * allow it only from a gesture) and the screen kept awake. Both are best effort: a browser
 * without them still runs the kiosk.
 */
let lock: { release(): Promise<void> } | null = null;

export function enterFullscreen() {
	if (document.fullscreenElement || !document.documentElement.requestFullscreen) return;
	document.documentElement.requestFullscreen({ navigationUI: 'hide' }).catch(() => {});
}

export async function keepAwake() {
	const wakeLock = (
		navigator as Navigator & {
			wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> };
		}
	).wakeLock;
	if (!wakeLock || lock || document.visibilityState !== 'visible') return;
	try {
		lock = await wakeLock.request('screen');
		// The lock is dropped whenever the page is hidden; take it again when it comes back.
		(lock as unknown as EventTarget).addEventListener?.('release', () => (lock = null));
	} catch {
		lock = null;
	}
}

/** Five taps in the top-left corner within three seconds: the staff's way in. */
export function cornerTaps(onOpen: () => void, size = 80, count = 5, withinMs = 3000) {
	let taps: number[] = [];
	return (event: PointerEvent) => {
		if (event.clientX > size || event.clientY > size) {
			taps = [];
			return;
		}
		const now = event.timeStamp;
		taps = [...taps.filter((t) => now - t < withinMs), now];
		if (taps.length >= count) {
			taps = [];
			onOpen();
		}
	};
}
