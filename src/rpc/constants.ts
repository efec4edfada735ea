/**
 * Wire facts of libvirt's RPC protocol (libvirt 9.0). Every number here is a
 * fact from docs/reference/wire-protocol.md (cited per block as "wp §N")
 * or docs/reference/admin-api.md ("admin §N"); none is a choice of ours.
 */

/** Programs and their numbers (wp §10). */
export const Program = {
  Remote: 0x20008086,
  Qemu: 0x20008087,
  Lxc: 0x00068000,
  Admin: 0x06900690,
  Keepalive: 0x6b656570,
  LogManager: 0x87539319,
  LockSpace: 0x0ea7beef,
} as const;

/** Every program of libvirt's is at version 1 today (wp §1). */
export const PROGRAM_VERSION = 1;

/** Header `type` field (wp §1.1). */
export const MessageType = {
  Call: 0,
  Reply: 1,
  Message: 2,
  Stream: 3,
  CallWithFds: 4,
  ReplyWithFds: 5,
  StreamHole: 6,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Header `status` field (wp §1.2). */
export const MessageStatus = {
  Ok: 0,
  Error: 1,
  Continue: 2,
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];

/** Size limits (wp §2). */
export const LEN_WORD_SIZE = 4;
export const HEADER_SIZE = 24;
/** The smallest frame: the length word plus a header and no body. */
export const MIN_PACKET = LEN_WORD_SIZE + HEADER_SIZE;
/** VIR_NET_MESSAGE_MAX excludes the length word, so the largest length word is 32 MiB + 4. */
export const MESSAGE_MAX = 33554432;
export const MAX_PACKET = MESSAGE_MAX + LEN_WORD_SIZE;
export const PAYLOAD_MAX = MESSAGE_MAX - HEADER_SIZE;
/** Bound of strings in the base protocol, the admin and remote programs (wp §2). */
export const STRING_MAX = 4194304;
export const NUM_FDS_MAX = 32;

/** Keepalive procedures (wp §9). */
export const KeepaliveProc = {
  Ping: 1,
  Pong: 2,
} as const;

/** Admin program procedures (admin §3). */
export const AdminProc = {
  ConnectOpen: 1,
  ConnectClose: 2,
  ConnectGetLibVersion: 3,
  ConnectListServers: 4,
  ConnectLookupServer: 5,
  ServerGetThreadpoolParameters: 6,
  ServerSetThreadpoolParameters: 7,
  ServerListClients: 8,
  ServerLookupClient: 9,
  ClientGetInfo: 10,
  ClientClose: 11,
  ServerGetClientLimits: 12,
  ServerSetClientLimits: 13,
  ConnectGetLoggingOutputs: 14,
  ConnectGetLoggingFilters: 15,
  ConnectSetLoggingOutputs: 16,
  ConnectSetLoggingFilters: 17,
  ServerUpdateTlsFiles: 18,
  ConnectSetDaemonTimeout: 19,
} as const;

/** Admin list bounds (admin §1). */
export const ADMIN_SERVER_LIST_MAX = 16384;
export const ADMIN_CLIENT_LIST_MAX = 16384;
export const ADMIN_THREADPOOL_PARAMS_MAX = 32;
export const ADMIN_CLIENT_INFO_PARAMS_MAX = 64;
export const ADMIN_CLIENT_LIMITS_PARAMS_MAX = 32;

/** Remote program procedures used at connection level (wp §11). */
export const RemoteProc = {
  ConnectOpen: 1,
  ConnectClose: 2,
  ConnectGetType: 3,
  ConnectGetVersion: 4,
  NodeGetInfo: 6,
  ConnectGetCapabilities: 7,
  ConnectGetHostname: 59,
  ConnectSupportsFeature: 60,
  AuthList: 66,
  AuthSaslInit: 67,
  AuthSaslStart: 68,
  AuthSaslStep: 69,
  AuthPolkit: 70,
  ConnectGetUri: 110,
  ConnectIsSecure: 149,
  ConnectGetLibVersion: 157,
  ConnectGetSysinfo: 203,
  ConnectRegisterCloseCallback: 360,
  ConnectUnregisterCloseCallback: 361,
  ConnectSetIdentity: 419,
} as const;

/** REMOTE_AUTH_* values in AUTH_LIST (wp §11). */
export const AuthType = { None: 0, Sasl: 1, Polkit: 2 } as const;
export type AuthType = (typeof AuthType)[keyof typeof AuthType];

/** CONNECT_SUPPORTS_FEATURE numbers (wp §11.1). */
export const DrvFeature = {
  FdPassing: 8,
  TypedParamString: 9,
  ProgramKeepalive: 10,
  RemoteEventCallback: 14,
  RemoteCloseCallback: 15,
} as const;

/** CONNECT_OPEN flags bit 0 (wp §11.1). */
export const CONNECT_RO = 1;

/** remote_auth_type list bound (wp §11). */
export const REMOTE_AUTH_TYPE_LIST_MAX = 20;

/** Bound of the SASL token in AUTH_SASL_START/STEP, each way (REMOTE_AUTH_SASL_DATA_MAX, issue 11). */
export const REMOTE_AUTH_SASL_DATA_MAX = 65536;

/** Admin client transports (admin §2). */
export const ClientTransport = { Unix: 0, Tcp: 1, Tls: 2 } as const;
export type ClientTransport = (typeof ClientTransport)[keyof typeof ClientTransport];

/** libvirt's version as an integer: major*1e6 + minor*1e3 + micro. We speak 9.0.0's protocol. */
export const LIBVIRT_VERSION = 9000000;
