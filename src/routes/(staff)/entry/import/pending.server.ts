import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * An uploaded CSV kept between its preview and the confirmation, in a private temporary folder,
 * named by a random id and bound to the user who uploaded it. Server processes of one machine
 * share it; files older than the lifetime are removed on the next upload.
 */
export interface PendingUpload {
	userId: string;
	fileName: string;
	csv: string;
}

const LIFETIME_MS = 30 * 60_000;
const folder = join(tmpdir(), 'hailong-imports');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const pathOf = (id: string) => join(folder, `${id}.json`);
const claimedPathOf = (id: string) => join(folder, `${id}.claimed`);

/** Keeps an upload for the confirmation; returns its id. */
export async function keep(upload: PendingUpload): Promise<string> {
	await mkdir(folder, { recursive: true, mode: 0o700 });
	// The folder is in the shared temporary directory: it must be ours and closed to others.
	const info = await stat(folder);
	if (info.uid !== process.getuid?.() || (info.mode & 0o077) !== 0) {
		throw new Error(`${folder} belongs to another user or is open to others`);
	}
	await removeExpired();
	const id = crypto.randomUUID();
	await writeFile(pathOf(id), JSON.stringify(upload), { mode: 0o600 });
	return id;
}

/** The upload with this id, if it is still there and belongs to this user. */
export async function find(id: string, userId: string): Promise<PendingUpload | null> {
	if (!uuid.test(id)) return null;
	try {
		const path = pathOf(id);
		if (Date.now() - (await stat(path)).mtimeMs > LIFETIME_MS) return null;
		const upload = JSON.parse(await readFile(path, 'utf8')) as PendingUpload;
		return upload.userId === userId ? upload : null;
	} catch {
		return null;
	}
}

/**
 * Takes the upload for confirmation. The rename succeeds once, so a double click or a second tab
 * finds nothing to import. The claimed file is removed when the import is done.
 */
export async function claim(id: string, userId: string): Promise<PendingUpload | null> {
	const upload = await find(id, userId);
	if (!upload) return null;
	try {
		await rename(pathOf(id), claimedPathOf(id));
	} catch {
		return null;
	}
	return upload;
}

export async function discard(id: string) {
	if (!uuid.test(id)) return;
	await rm(pathOf(id), { force: true });
	await rm(claimedPathOf(id), { force: true });
}

async function removeExpired() {
	const now = Date.now();
	for (const name of await readdir(folder)) {
		const path = join(folder, name);
		const info = await stat(path).catch(() => null);
		if (info && now - info.mtimeMs > LIFETIME_MS) await rm(path, { force: true });
	}
}
