/** The staff PIN, kept on the tablet only as a salted PBKDF2 hash. */
export interface PinHash {
	salt: string;
	hash: string;
}

export const isPin = (pin: string) => /^\d{4,8}$/.test(pin);

const hex = (bytes: ArrayBuffer | Uint8Array) =>
	[...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function derive(pin: string, salt: string): Promise<string> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
		'deriveBits'
	]);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(salt), iterations: 100_000 },
		key,
		256
	);
	return hex(bits);
}

export async function hashPin(pin: string): Promise<PinHash> {
	const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
	return { salt, hash: await derive(pin, salt) };
}

export async function checkPin(pin: string, stored: PinHash): Promise<boolean> {
	return (await derive(pin, stored.salt)) === stored.hash;
}
