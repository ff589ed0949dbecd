// Servers, embedded databases and throwaway PostgreSQL databases must not outlive the bench, even
// on Ctrl-C or a crash: every step that starts one registers how to undo it here.

type Undo = () => Promise<void> | void;

const stack: { label: string; undo: Undo }[] = [];

/**
 * Registers an undo step; returns a function that runs it now (the normal path) and forgets it.
 * Steps left over run last-in first-out in cleanupAll.
 */
export function onCleanup(label: string, undo: Undo): () => Promise<void> {
	const entry = { label, undo };
	stack.push(entry);
	return async () => {
		const i = stack.indexOf(entry);
		if (i < 0) return;
		stack.splice(i, 1);
		await undo();
	};
}

export async function cleanupAll() {
	while (stack.length) {
		const { label, undo } = stack.pop()!;
		try {
			await undo();
		} catch (error) {
			process.stderr.write(`Could not clean up ${label}: ${(error as Error).message}\n`);
		}
	}
}

/** Aborted on Ctrl-C: load loops stop issuing work instead of hammering what is being removed. */
export const interruption = new AbortController();

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		if (interruption.signal.aborted) return;
		interruption.abort();
		process.stderr.write(`\n${signal}: stopping and cleaning up…\n`);
		void cleanupAll().finally(() => process.exit(130));
	});
}
