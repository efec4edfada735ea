/**
 * Typed parameters (wp §3.1): `{ field, type, value }` lists used by the admin
 * program for threadpool, client-info and client-limit values, and libvirt's
 * generic validation of parameters a caller sends (admin §3.2 rules 1-3).
 */
import { type Codec, array, nonnullString } from './codec.js';
import { ErrorCode, ErrorDomain, errorsFrom } from './vir-error.js';
import { XdrDecodeError } from './xdr-reader.js';

export const TypedParamType = {
  Int: 1,
  Uint: 2,
  Llong: 3,
  Ullong: 4,
  Double: 5,
  Boolean: 6,
  String: 7,
} as const;
export type TypedParamType = (typeof TypedParamType)[keyof typeof TypedParamType];

/** The type names libvirt prints in its errors. */
export const TYPED_PARAM_TYPE_NAMES: Readonly<Record<TypedParamType, string>> = {
  1: 'int',
  2: 'uint',
  3: 'llong',
  4: 'ullong',
  5: 'double',
  6: 'boolean',
  7: 'string',
};

export type TypedParam =
  | { field: string; type: typeof TypedParamType.Int; value: number }
  | { field: string; type: typeof TypedParamType.Uint; value: number }
  | { field: string; type: typeof TypedParamType.Llong; value: bigint }
  | { field: string; type: typeof TypedParamType.Ullong; value: bigint }
  | { field: string; type: typeof TypedParamType.Double; value: number }
  | { field: string; type: typeof TypedParamType.Boolean; value: boolean }
  | { field: string; type: typeof TypedParamType.String; value: string };

export const typedParam: Codec<TypedParam> = {
  encode(w, p) {
    w.string(p.field).int(p.type);
    switch (p.type) {
      case TypedParamType.Int:
        w.int(p.value);
        break;
      case TypedParamType.Uint:
        w.uint(p.value);
        break;
      case TypedParamType.Llong:
        w.hyper(p.value);
        break;
      case TypedParamType.Ullong:
        w.uhyper(p.value);
        break;
      case TypedParamType.Double:
        w.double(p.value);
        break;
      case TypedParamType.Boolean:
        w.int(p.value ? 1 : 0);
        break;
      case TypedParamType.String:
        w.string(p.value);
        break;
    }
  },
  decode(r) {
    const field = nonnullString.decode(r);
    const type = r.int();
    switch (type) {
      case TypedParamType.Int:
        return { field, type, value: r.int() };
      case TypedParamType.Uint:
        return { field, type, value: r.uint() };
      case TypedParamType.Llong:
        return { field, type, value: r.hyper() };
      case TypedParamType.Ullong:
        return { field, type, value: r.uhyper() };
      case TypedParamType.Double:
        return { field, type, value: r.double() };
      case TypedParamType.Boolean:
        return { field, type, value: r.int() !== 0 };
      case TypedParamType.String:
        return { field, type, value: nonnullString.decode(r) };
      default:
        // An unknown union discriminant is a decode failure (wp §3).
        throw new XdrDecodeError(`unknown typed parameter type ${type}`);
    }
  },
};

export function typedParams(max: number): Codec<TypedParam[]> {
  return array(typedParam, max);
}

export const uintParam = (field: string, value: number): TypedParam => ({ field, type: TypedParamType.Uint, value });
export const intParam = (field: string, value: number): TypedParam => ({ field, type: TypedParamType.Int, value });
export const boolParam = (field: string, value: boolean): TypedParam => ({ field, type: TypedParamType.Boolean, value });
export const stringParam = (field: string, value: string): TypedParam => ({ field, type: TypedParamType.String, value });

/** A parameter's value as text, the way virt-admin prints it (admin §6.3). */
export function formatTypedParamValue(p: TypedParam): string {
  switch (p.type) {
    case TypedParamType.Boolean:
      return p.value ? 'yes' : 'no';
    case TypedParamType.Double:
      return p.value.toFixed(6);
    default:
      return String(p.value);
  }
}

// Generic validation errors carry no domain (admin §3.2: "domain 0").
const fail = errorsFrom(ErrorDomain.None);

/**
 * libvirt's check of caller-supplied parameters (admin §3.2 rules 1-3, in that
 * order for each parameter): a field not in `allowed` is unsupported, a wrong
 * type is invalid, a repeated field is invalid. Returns the values by field.
 */
export function validateTypedParams(
  params: readonly TypedParam[],
  allowed: Readonly<Record<string, TypedParamType>>,
): Map<string, TypedParam> {
  const seen = new Map<string, TypedParam>();
  for (const p of params) {
    const expected = allowed[p.field];
    if (expected === undefined) {
      throw fail(ErrorCode.ArgumentUnsupported, `parameter '${p.field}' not supported`);
    }
    if (p.type !== expected) {
      const got = TYPED_PARAM_TYPE_NAMES[p.type] ?? String(p.type);
      throw fail(
        ErrorCode.InvalidArg,
        `invalid type '${got}' for parameter '${p.field}', expected '${TYPED_PARAM_TYPE_NAMES[expected]}'`,
      );
    }
    if (seen.has(p.field)) throw fail(ErrorCode.InvalidArg, `parameter '${p.field}' occurs multiple times`);
    seen.set(p.field, p);
  }
  return seen;
}

/** The value of a uint parameter from a validated map, if given. */
export function uintFrom(params: Map<string, TypedParam>, field: string): number | undefined {
  const p = params.get(field);
  return p && p.type === TypedParamType.Uint ? p.value : undefined;
}
