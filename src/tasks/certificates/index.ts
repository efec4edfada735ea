export * from './tls-reload.js';
export * from './tls-report.js';
export * from './tls-text.js';
export * from './x509-files.js';
