// `npm run import -- file.csv`: imports paper questionnaires atomically (see docs/api.md).
import { createReadStream, existsSync } from 'node:fs';
import { startApp, stopApp } from '../src/lib/server/app';
import { audit } from '../src/lib/server/audit';
import { importCsv } from '../src/lib/server/paper';

const file = process.argv[2];
if (!file || !existsSync(file)) {
	console.error('Usage: npm run import -- <file.csv>');
	process.exit(2);
}

try {
	const app = await startApp();
	if (app.seeded.generatedPassword) {
		console.log(
			`First administrator: ${app.seeded.adminEmail} / ${app.seeded.generatedPassword} (shown once)`
		);
	}
	const result = await importCsv(app.db, app.surveys, createReadStream(file), {
		onProgress: (message) => process.stderr.write(`\r${message}   `),
		// The command line has no signed-in person; the entry says it came from here.
		onStored: (tx, counts) =>
			audit(tx, {
				actor: null,
				action: 'responses_imported',
				target: file,
				detail: { ...counts, via: 'npm run import', osUser: process.env.USER ?? null }
			})
	});
	process.stderr.write('\n');
	if (result.ok) {
		console.log(
			`Imported ${file}: ${result.stored} responses stored, ${result.skipped} already present.`
		);
	} else {
		console.error(`Nothing imported: ${result.errors.length} error(s) in ${file}`);
		for (const e of result.errors)
			console.error(`  row ${e.row}, column ${e.column || '—'}: ${e.message}`);
		process.exitCode = 1;
	}
} catch (error) {
	console.error((error as Error).message);
	process.exitCode = 1;
} finally {
	await stopApp();
}
