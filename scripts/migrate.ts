// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { loadConfig } from '../src/lib/server/config';
import { openDatabase, migrate } from '../src/lib/server/db';

const db = await openDatabase(loadConfig());
try {
	const applied = await migrate(db);
	console.log(
		applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date.'
	);
} catch (error) {
	console.error((error as Error).message);
	process.exitCode = 1;
} finally {
	await db.close();
}
