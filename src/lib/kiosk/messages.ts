import { kiosk as enKiosk, scale as enScale } from '$lib/i18n/en.json';
import { kiosk as viKiosk, scale as viScale } from '$lib/i18n/vi.json';

// Only the kiosk's part of the dictionaries: named JSON imports keep the rest out of the bundle.
export type KioskMessages = typeof viKiosk;
export const kioskMessages: Record<'vi' | 'en', KioskMessages> = { vi: viKiosk, en: enKiosk };
export const scaleLabels = { vi: viScale, en: enScale };
export { fill } from '$lib/components/results/format';
