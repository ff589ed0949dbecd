// Downloads: responses and results as CSV or XLSX, streamed, with a few at a time.
export * from './csv';
export * from './response-rows';
export * from './results-table';
export * from './slots';
export * from './writers';
