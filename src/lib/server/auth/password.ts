import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id minimum (m = 19 MiB, t = 2, p = 1); the parameters travel inside the hash.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

/** Longer passwords are refused rather than hashed: bounds the work one request can cause. */
export const MAX_PASSWORD_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFC'), options);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	if (password.length > MAX_PASSWORD_LENGTH) return false;
	try {
		return await verify(stored, password.normalize('NFC'));
	} catch {
		return false;
	}
}

let dummy: Promise<string> | undefined;

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
export function dummyHash(): Promise<string> {
	dummy ??= hashPassword(crypto.randomUUID());
	return dummy;
}
