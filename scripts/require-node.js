// npm runs scripts with node_modules/.bin first on PATH, where the pinned `node` devDependency
// puts Node 24. Reaching this check on an older Node means the install skipped that binary.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
	console.error(
		`Hài Lòng needs Node 24 or newer; this is Node ${process.versions.node}.\n` +
			'Run `npm ci` (without --ignore-scripts) so the pinned Node 24 is installed, then use `npm run …`.'
	);
	process.exit(1);
}
