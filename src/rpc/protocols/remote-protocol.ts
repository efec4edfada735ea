/**
 * The REMOTE program's connection-level procedures (0x20008086 v1, wp §11):
 * what a real client sends to open, query and close a connection.
 */
import { type Codec, array, charArray, fixedArray, int, nonnullString, nullableString, struct, uhyper, uint, voidCodec } from '../codec.js';
import { REMOTE_AUTH_SASL_DATA_MAX, REMOTE_AUTH_TYPE_LIST_MAX, RemoteProc } from '../constants.js';
import { type TypedParam, TypedParamType, typedParams } from '../typed-params.js';
import { procedure } from './procedure.js';

const flagsOnly = struct<{ flags: number }>({ flags: uint });

export interface NodeInfo {
  /** `char model[32]`: 32 four-byte ints on the wire (wp §3). */
  model: string;
  memory: bigint;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/**
 * A SASL token as the AUTH_SASL_* procedures carry it: `nil` says "no token" (SASL tells a NULL
 * token from an empty one), `data` the bytes, one int each on the wire (codec.ts charArray).
 */
export interface SaslToken {
  nil: number;
  data: Buffer;
}

const saslData = charArray(REMOTE_AUTH_SASL_DATA_MAX);

const MODEL_LEN = 32;
const modelChars = fixedArray(int, MODEL_LEN);
/** Fixed char[32]: NUL-padded C string, one int per char. */
const model: Codec<string> = {
  encode(w, s) {
    const bytes = Buffer.from(s, 'latin1').subarray(0, MODEL_LEN - 1);
    const chars = new Array<number>(MODEL_LEN).fill(0);
    for (let i = 0; i < bytes.length; i++) chars[i] = bytes[i]!;
    modelChars.encode(w, chars);
  },
  decode(r) {
    const chars = modelChars.decode(r);
    const end = chars.indexOf(0);
    return Buffer.from((end === -1 ? chars : chars.slice(0, end)).map((c) => c & 0xff)).toString('latin1');
  },
};

export const Remote = {
  connectOpen: procedure(
    RemoteProc.ConnectOpen,
    'CONNECT_OPEN',
    struct<{ name: string | null; flags: number }>({ name: nullableString, flags: uint }),
    voidCodec,
  ),
  connectClose: procedure(RemoteProc.ConnectClose, 'CONNECT_CLOSE', voidCodec, voidCodec),
  connectGetType: procedure(RemoteProc.ConnectGetType, 'CONNECT_GET_TYPE', voidCodec, struct<{ type: string }>({ type: nonnullString })),
  connectGetVersion: procedure(
    RemoteProc.ConnectGetVersion,
    'CONNECT_GET_VERSION',
    voidCodec,
    struct<{ hvVer: bigint }>({ hvVer: uhyper }),
  ),
  nodeGetInfo: procedure(
    RemoteProc.NodeGetInfo,
    'NODE_GET_INFO',
    voidCodec,
    struct<NodeInfo>({ model, memory: uhyper, cpus: int, mhz: int, nodes: int, sockets: int, cores: int, threads: int }),
  ),
  connectGetCapabilities: procedure(
    RemoteProc.ConnectGetCapabilities,
    'CONNECT_GET_CAPABILITIES',
    voidCodec,
    struct<{ capabilities: string }>({ capabilities: nonnullString }),
  ),
  connectGetHostname: procedure(
    RemoteProc.ConnectGetHostname,
    'CONNECT_GET_HOSTNAME',
    voidCodec,
    struct<{ hostname: string }>({ hostname: nonnullString }),
  ),
  connectSupportsFeature: procedure(
    RemoteProc.ConnectSupportsFeature,
    'CONNECT_SUPPORTS_FEATURE',
    struct<{ feature: number }>({ feature: int }),
    struct<{ supported: number }>({ supported: int }),
  ),
  authList: procedure(
    RemoteProc.AuthList,
    'AUTH_LIST',
    voidCodec,
    struct<{ types: number[] }>({ types: array(int, REMOTE_AUTH_TYPE_LIST_MAX) }),
  ),
  authSaslInit: procedure(RemoteProc.AuthSaslInit, 'AUTH_SASL_INIT', voidCodec, struct<{ mechlist: string }>({ mechlist: nonnullString })),
  authSaslStart: procedure(
    RemoteProc.AuthSaslStart,
    'AUTH_SASL_START',
    struct<{ mech: string } & SaslToken>({ mech: nonnullString, nil: int, data: saslData }),
    struct<{ complete: number } & SaslToken>({ complete: int, nil: int, data: saslData }),
  ),
  authSaslStep: procedure(
    RemoteProc.AuthSaslStep,
    'AUTH_SASL_STEP',
    struct<SaslToken>({ nil: int, data: saslData }),
    struct<{ complete: number } & SaslToken>({ complete: int, nil: int, data: saslData }),
  ),
  authPolkit: procedure(RemoteProc.AuthPolkit, 'AUTH_POLKIT', voidCodec, struct<{ complete: number }>({ complete: int })),
  connectGetUri: procedure(RemoteProc.ConnectGetUri, 'CONNECT_GET_URI', voidCodec, struct<{ uri: string }>({ uri: nonnullString })),
  connectIsSecure: procedure(
    RemoteProc.ConnectIsSecure,
    'CONNECT_IS_SECURE',
    voidCodec,
    struct<{ secure: number }>({ secure: int }),
  ),
  connectGetLibVersion: procedure(
    RemoteProc.ConnectGetLibVersion,
    'CONNECT_GET_LIB_VERSION',
    voidCodec,
    struct<{ libVer: bigint }>({ libVer: uhyper }),
  ),
  connectGetSysinfo: procedure(
    RemoteProc.ConnectGetSysinfo,
    'CONNECT_GET_SYSINFO',
    flagsOnly,
    struct<{ sysinfo: string }>({ sysinfo: nonnullString }),
  ),
  connectRegisterCloseCallback: procedure(
    RemoteProc.ConnectRegisterCloseCallback,
    'CONNECT_REGISTER_CLOSE_CALLBACK',
    voidCodec,
    voidCodec,
  ),
  connectUnregisterCloseCallback: procedure(
    RemoteProc.ConnectUnregisterCloseCallback,
    'CONNECT_UNREGISTER_CLOSE_CALLBACK',
    voidCodec,
    voidCodec,
  ),
  connectSetIdentity: procedure(
    RemoteProc.ConnectSetIdentity,
    'CONNECT_SET_IDENTITY',
    struct<{ params: TypedParam[]; flags: number }>({ params: typedParams(20), flags: uint }),
    voidCodec,
  ),
} as const;

/** VIR_CONNECT_IDENTITY_* typed parameters of CONNECT_SET_IDENTITY, with their types (libvirt-host.h). */
export const CONNECT_IDENTITY_PARAMS = {
  'user-name': TypedParamType.String,
  'unix-user-id': TypedParamType.Ullong,
  'group-name': TypedParamType.String,
  'unix-group-id': TypedParamType.Ullong,
  'process-id': TypedParamType.Llong,
  'process-time': TypedParamType.Ullong,
  'sasl-user-name': TypedParamType.String,
  'x509-distinguished-name': TypedParamType.String,
  'selinux-context': TypedParamType.String,
} as const;
