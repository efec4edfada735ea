// libvirt's priorities and filter and output syntax are pure and shared with the console (src/conf).
export * from '../../conf/log-priority.js';
export * from '../../conf/log-filters.js';
export * from '../../conf/log-outputs.js';
export * from './daemon-logger.js';
