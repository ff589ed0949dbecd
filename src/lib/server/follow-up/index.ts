// Follow-up: the complaint cases and their steps; citizens' comments.
export * from './cases';
export * from './comments';
