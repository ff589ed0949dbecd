// Results: the query and its parameters, counts and roll-ups, targets, the dashboard's readings
// and which months are public.
export * from './counts';
export * from './for-unit';
export * from './sums';
export * from './public-release';
export * from './query';
export * from './readings';
export * from './types';
export * as rollups from './rollups';
export * as targets from './targets';
