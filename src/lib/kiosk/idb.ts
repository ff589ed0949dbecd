import type { DeadLetter, OutboxStore, QueuedResponse } from './outbox';

const DB_NAME = 'hailong-kiosk';
const DB_VERSION = 1;

/** IndexedDB is missing, blocked or full: the kiosk must stop taking answers it cannot keep. */
export class StorageUnavailable extends Error {}

function result<T>(request: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

/** Resolves once the transaction is committed, which is when an answer counts as kept. */
function committed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error ?? new StorageUnavailable('transaction failed'));
		tx.onabort = () => reject(tx.error ?? new StorageUnavailable('transaction aborted'));
	});
}

export async function openKioskDb(): Promise<IDBDatabase> {
	try {
		const request = indexedDB.open(DB_NAME, DB_VERSION);
		request.onupgradeneeded = () => {
			const db = request.result;
			db.createObjectStore('config');
			db.createObjectStore('queue', { keyPath: 'id' }).createIndex('queuedAt', 'queuedAt');
			db.createObjectStore('dead', { keyPath: 'id' });
		};
		return await new Promise((resolve, reject) => {
			request.onsuccess = () => resolve(request.result);
			request.onerror = () => reject(request.error);
			request.onblocked = () => reject(new StorageUnavailable('blocked'));
		});
	} catch (error) {
		throw new StorageUnavailable(String(error));
	}
}

/** The device's settings (token, PIN hash, survey definition…) as a small key-value store. */
export class ConfigStore {
	constructor(private db: IDBDatabase) {}

	async get<T>(key: string): Promise<T | undefined> {
		return (await result(this.db.transaction('config').objectStore('config').get(key))) as
			T | undefined;
	}

	async set(key: string, value: unknown): Promise<void> {
		const tx = this.db.transaction('config', 'readwrite', { durability: 'strict' });
		tx.objectStore('config').put(value, key);
		await committed(tx);
	}

	async delete(key: string): Promise<void> {
		const tx = this.db.transaction('config', 'readwrite');
		tx.objectStore('config').delete(key);
		await committed(tx);
	}
}

/** The outbox in IndexedDB. Writes ask for strict durability: acknowledged means on disk. */
export class IdbOutboxStore implements OutboxStore {
	constructor(private db: IDBDatabase) {}

	async add(item: QueuedResponse): Promise<void> {
		const tx = this.db.transaction('queue', 'readwrite', { durability: 'strict' });
		tx.objectStore('queue').add(item);
		await committed(tx);
	}

	async all(): Promise<QueuedResponse[]> {
		const index = this.db.transaction('queue').objectStore('queue').index('queuedAt');
		return (await result(index.getAll())) as QueuedResponse[];
	}

	async update(item: QueuedResponse): Promise<void> {
		const tx = this.db.transaction('queue', 'readwrite');
		tx.objectStore('queue').put(item);
		await committed(tx);
	}

	async remove(id: string): Promise<void> {
		const tx = this.db.transaction('queue', 'readwrite', { durability: 'strict' });
		tx.objectStore('queue').delete(id);
		await committed(tx);
	}

	async toDead(id: string, letter: DeadLetter): Promise<void> {
		const tx = this.db.transaction(['queue', 'dead'], 'readwrite', { durability: 'strict' });
		tx.objectStore('dead').put(letter);
		tx.objectStore('queue').delete(id);
		await committed(tx);
	}

	async dead(): Promise<DeadLetter[]> {
		return (await result(this.db.transaction('dead').objectStore('dead').getAll())) as DeadLetter[];
	}

	async requeueDead(): Promise<number> {
		const letters = await this.dead();
		const tx = this.db.transaction(['queue', 'dead'], 'readwrite', { durability: 'strict' });
		for (const letter of letters) {
			tx.objectStore('queue').put({
				id: letter.id,
				body: letter.body,
				queuedAt: letter.queuedAt,
				attempts: 0,
				lastError: null
			} satisfies QueuedResponse);
			tx.objectStore('dead').delete(letter.id);
		}
		await committed(tx);
		return letters.length;
	}
}
