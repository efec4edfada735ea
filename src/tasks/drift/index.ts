export * from './drift.js';
export * from './drift-text.js';
export * from './expected-settings.js';
