// Survey definitions: the files, their recorded versions, the in-memory registry; the admin summaries.
export * from './admin';
export * from './registry';
