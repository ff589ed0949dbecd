// Survey definitions: the files, their recorded versions, the in-memory registry; the admin
// summaries; the translations of their texts (Khmer) and their review.
export * from './admin';
export * from './registry';
export * as translations from './translations';
