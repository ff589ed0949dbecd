// The quarterly report: its figures, the standalone HTML document and the A4 PDF.
export * from './html';
export * from './pdf';
export * from './quarterly';
