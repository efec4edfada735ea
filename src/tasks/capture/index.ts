export * from './capture-targets.js';
export * from './debug-capture.js';
export * from './duration.js';
export * from './journal.js';
export * from './presets.js';
export * from './restore.js';
