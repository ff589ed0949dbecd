// The unit tree: reads, the one place that walks it (tree.ts), the administrators' edits and the
// units CSV.
export * from './admin';
export * from './csv';
export * from './reads';
export * from './tree';
