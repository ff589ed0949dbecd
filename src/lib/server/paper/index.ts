// Paper questionnaires: keyed in one by one, or imported atomically from CSV.
export * from './csv-rows';
export * from './entry';
export * from './import';
export * from './stable-id';
