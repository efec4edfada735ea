export * from './file-follower.js';
export * from './live-log.js';
