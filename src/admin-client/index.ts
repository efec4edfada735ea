export * from './admin-client-error.js';
export * from './admin-connection.js';
export * from './admin-client.js';
export * from './admin-types.js';
export * from './admin-uri.js';
export * from './client-config.js';
export * from './discovery.js';
export * from './known-daemons.js';
export type { ClientEvent, ServiceListing } from '../rpc/index.js';
