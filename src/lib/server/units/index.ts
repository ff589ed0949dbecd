// The unit tree: reads, the administrators' edits and the units CSV.
export * from './admin';
export * from './csv';
export * from './reads';
