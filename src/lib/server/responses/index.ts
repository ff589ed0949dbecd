// Storing answers: the JSON door (kiosks, integrations) and the QR form both end in store().
export * from './admission';
export * as contacts from './contacts';
export * from './fingerprint';
export * from './insert';
export * from './json-door';
export * from './qr-door';
export * from './qr-form';
export * from './store';
