export * from './capture/index.js';
export * from './daemon-facts.js';
export * from './drift/index.js';
export * from './certificates/index.js';
export * from './live-log/index.js';
