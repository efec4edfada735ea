export * from './log-priority.js';
export * from './log-filters.js';
export * from './log-outputs.js';
export * from './daemon-logger.js';
