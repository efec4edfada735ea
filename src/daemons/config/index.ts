export * from './config-error.js';
export * from './conf-parser.js';
export * from './conf-values.js';
export * from './remote-daemon-schema.js';
export * from './remote-daemon-config.js';
export * from './load-config.js';
export * from './helper-daemon-config.js';
