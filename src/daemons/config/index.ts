// The pure parts (virConf syntax, keys, defaults, typed configs) live in src/conf, shared with
// the console; reading the file from disk is the daemons' own.
export * from '../../conf/config-error.js';
export * from '../../conf/conf-parser.js';
export * from '../../conf/conf-values.js';
export * from '../../conf/config-path.js';
export * from '../../conf/remote-daemon-schema.js';
export * from '../../conf/remote-daemon-config.js';
export * from '../../conf/helper-daemon-config.js';
export * from './load-config.js';
