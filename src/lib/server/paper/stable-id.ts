import { createHash } from 'node:crypto';

/**
 * A UUID that the same parts always give (SHA-256, laid out as a version 4 UUID): the id of a
 * record that may arrive twice, so storing it twice is a replay, not a second row.
 */
export function stableUuid(...parts: string[]): string {
	const bytes = createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16);
	bytes[6] = (bytes[6]! & 0x0f) | 0x40;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
