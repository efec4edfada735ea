/**
 * The one place where text typed by an operator becomes a value sent to a
 * daemon: the command line's verbs, the console's `:` palette and every
 * console prompt read their options through OptionValues, so a number is
 * checked once, against the range of the wire type it travels as, with
 * virt-admin's own messages (admin-api.md §6; virt-admin 9.0 observed):
 *
 *   Numeric value '99999999999' for <max-workers> option is malformed or out of range
 *   Unable to parse integer parameter 'max-workers'        (typed-parameter options)
 *   Failed to get option 'server': Option argument is empty
 *
 * virt-admin's rule for an unsigned option (strtoul, base 10, then its own
 * checks): leading blanks and one '+' are allowed; a '-' anywhere, trailing
 * characters, no digits at all, or a value past the type's maximum are not.
 * Nothing is wrapped: `-1` and `4294967297` are refused, not sent as
 * 4294967295 and 1. One exception is virt-admin's own and kept for
 * byte-for-byte output: client-disconnect reads its id as strtoull does, so
 * `-1` names client 18446744073709551615 (which no daemon has) and the
 * answer is "Client not found"; the id sent is exactly virt-admin's.
 */

/** The wire types numbers travel as: XDR unsigned int and unsigned hyper. */
export type WireNumber = 'uint' | 'ullong';

export const WIRE_MAX: Readonly<Record<WireNumber, bigint>> = {
  uint: 0xffff_ffffn,
  ullong: 0xffff_ffff_ffff_ffffn,
};

/** The options as typed: name -> text (undefined when not given). */
export type RawArgs = Readonly<Record<string, string | undefined>>;

/** Refused input: the lines virt-admin prints (each becomes one "error: " line). */
export class OptionError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join(': '));
    this.name = 'OptionError';
  }
}

const BLANKS = /^[ \t\n\v\f\r]*/;

/** The value of `text` as virt-admin reads an unsigned option, or undefined when it refuses it. */
export function parseUnsigned(text: string, type: WireNumber): bigint | undefined {
  const body = text.replace(BLANKS, '');
  const m = /^\+?(\d+)$/.exec(body);
  if (!m) return undefined;
  const value = BigInt(m[1]!);
  return value <= WIRE_MAX[type] ? value : undefined;
}

/** strtoull's reading, which negates modulo 2^64 (virt-admin's "wrap" options). */
export function parseUnsignedWrapped(text: string): bigint | undefined {
  const body = text.replace(BLANKS, '');
  const m = /^([+-]?)(\d+)$/.exec(body);
  if (!m) return undefined;
  const magnitude = BigInt(m[2]!);
  if (magnitude > WIRE_MAX.ullong) return undefined;
  return m[1] === '-' ? (WIRE_MAX.ullong + 1n - magnitude) % (WIRE_MAX.ullong + 1n) : magnitude;
}

export const malformedNumber = (name: string, text: string) => `Numeric value '${text}' for <${name}> option is malformed or out of range`;
export const unparsableParameter = (name: string) => `Unable to parse integer parameter '${name}'`;
export const emptyArgument = (name: string) => `Failed to get option '${name}': Option argument is empty`;

/** Reads one verb's options, each in the order its verb asks for them (which decides the first error). */
export class OptionValues {
  constructor(
    private readonly raw: RawArgs,
    /** Options that accept an empty string (virt-admin's EMPTY_OK: setting no log filters at all). */
    private readonly emptyOk: readonly string[] = [],
  ) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  /** A string option; an empty one is refused unless the option allows it. */
  string(name: string): string | undefined {
    const v = this.raw[name];
    if (v === '' && !this.emptyOk.includes(name)) throw new OptionError([emptyArgument(name)]);
    return v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new OptionError([`Failed to get option '${name}': Mandatory option not present`]);
    return v;
  }

  /** An unsigned int (32 bits on the wire). */
  uint(name: string): number | undefined {
    const v = this.#unsigned(name, 'uint', []);
    return v === undefined ? undefined : Number(v);
  }

  /** An unsigned int sent as a typed parameter: virt-admin adds a second line naming the parameter. */
  uintParameter(name: string): number | undefined {
    const v = this.#unsigned(name, 'uint', [unparsableParameter(name)]);
    return v === undefined ? undefined : Number(v);
  }

  /** An unsigned 64-bit value (client ids), exact beyond 2^53. */
  ullong(name: string): bigint | undefined {
    return this.#unsigned(name, 'ullong', []);
  }

  /** An unsigned 64-bit value read the way virt-admin reads client-disconnect's id (see above). */
  ullongWrapped(name: string): bigint | undefined {
    const text = this.raw[name];
    if (text === undefined) return undefined;
    const value = parseUnsignedWrapped(text);
    if (value === undefined) throw new OptionError([malformedNumber(name, text)]);
    return value;
  }

  #unsigned(name: string, type: WireNumber, extra: string[]): bigint | undefined {
    const text = this.raw[name];
    if (text === undefined) return undefined;
    const value = parseUnsigned(text, type);
    if (value === undefined) throw new OptionError([malformedNumber(name, text), ...extra]);
    return value;
  }
}
