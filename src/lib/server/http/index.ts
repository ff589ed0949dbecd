// The HTTP edge shared by every route: bodies, replies, the hooks' handles, unexpected errors and
// rate limits.
export * from './body';
export * from './body-refusal';
export * from './compress';
export * from './cookies';
export * from './handles';
export * from './rate-limit';
export * from './server-error';
