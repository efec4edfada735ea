/**
 * Codecs: one declaration of an XDR type serves both encoding and decoding, so
 * the daemon and the client can never disagree on a layout. Procedure tables
 * (admin, remote, keepalive) are built from these.
 */
import { STRING_MAX } from './constants.js';
import { XdrReader } from './xdr-reader.js';
import { XdrWriter } from './xdr-writer.js';

export interface Codec<T> {
  encode(w: XdrWriter, value: T): void;
  decode(r: XdrReader): T;
}

export type CodecValue<C> = C extends Codec<infer T> ? T : never;

/**
 * The same codec, encoding each value object once: later encodings of that object copy
 * its bytes. For values that never change and are sent often (a client's reference in
 * every client-list); decoding is the codec's own.
 */
export function memoized<T extends object>(codec: Codec<T>): Codec<T> {
  const encoded = new WeakMap<T, Buffer>();
  return {
    encode(w, v) {
      let bytes = encoded.get(v);
      if (!bytes) {
        const own = new XdrWriter(64);
        codec.encode(own, v);
        bytes = Buffer.from(own.finish());
        encoded.set(v, bytes);
      }
      w.fixedOpaque(bytes); // XDR values are whole words: no padding is added
    },
    decode: (r) => codec.decode(r),
  };
}

export const voidCodec: Codec<void> = {
  encode() {},
  decode() {},
};

export const int: Codec<number> = {
  encode: (w, v) => void w.int(v),
  decode: (r) => r.int(),
};

export const uint: Codec<number> = {
  encode: (w, v) => void w.uint(v),
  decode: (r) => r.uint(),
};

export const hyper: Codec<bigint> = {
  encode: (w, v) => void w.hyper(v),
  decode: (r) => r.hyper(),
};

export const uhyper: Codec<bigint> = {
  encode: (w, v) => void w.uhyper(v),
  decode: (r) => r.uhyper(),
};

export const double: Codec<number> = {
  encode: (w, v) => void w.double(v),
  decode: (r) => r.double(),
};

/** libvirt's booleans are plain ints 0/1 on the wire (wp §3). */
export const bool: Codec<boolean> = {
  encode: (w, v) => void w.int(v ? 1 : 0),
  decode: (r) => r.int() !== 0,
};

export function string(max = STRING_MAX): Codec<string> {
  return {
    encode: (w, v) => void w.string(v),
    decode: (r) => r.string(max),
  };
}

/** libvirt's `nonnull_string` of the admin and remote programs. */
export const nonnullString = string();

export function opaque(max: number): Codec<Buffer> {
  return {
    encode: (w, v) => void w.opaque(v),
    decode: (r) => r.opaque(max),
  };
}

/**
 * An XDR string kept as bytes, for text that need not be UTF-8 (a guest's log
 * output): cut at its first NUL, as libvirt's C code reads and writes it.
 */
export function byteString(max: number): Codec<Buffer> {
  const cut = (b: Buffer) => {
    const nul = b.indexOf(0);
    return nul === -1 ? b : b.subarray(0, nul);
  };
  return {
    encode: (w, v) => void w.opaque(cut(v)),
    decode: (r) => cut(r.opaque(max)),
  };
}

export function fixedOpaque(len: number): Codec<Buffer> {
  return {
    encode: (w, v) => {
      if (v.length !== len) throw new RangeError(`fixed opaque needs ${len} bytes, got ${v.length}`);
      w.fixedOpaque(v);
    },
    decode: (r) => r.fixedOpaque(len),
  };
}

/** `T *x`: a present flag, then T (wp §3). */
export function optional<T>(inner: Codec<T>): Codec<T | null> {
  return {
    encode: (w, v) => {
      if (v === null) {
        w.uint(0);
      } else {
        w.uint(1);
        inner.encode(w, v);
      }
    },
    decode: (r) => (r.present() ? inner.decode(r) : null),
  };
}

/** libvirt's nullable `string` (an optional nonnull string). */
export const nullableString = optional(nonnullString);

/** `T x<max>`: count, then the elements. */
export function array<T>(inner: Codec<T>, max: number): Codec<T[]> {
  return {
    encode: (w, v) => {
      w.uint(v.length);
      for (const item of v) inner.encode(w, item);
    },
    decode: (r) => {
      const n = r.count(max);
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = inner.decode(r);
      return out;
    },
  };
}

/**
 * `char x<max>` as rpcgen encodes it: a count, then each byte as a 4-byte int (wp §3), sign-extended
 * because C's char is signed on libvirt's platforms (byte 0xff goes out as ffffffff). Decoding keeps
 * each int's low byte, as xdr_char does. libvirt's SASL tokens travel this way.
 */
export function charArray(max: number): Codec<Buffer> {
  return {
    encode: (w, v) => {
      w.uint(v.length);
      for (const byte of v) w.int((byte << 24) >> 24);
    },
    decode: (r) => {
      const n = r.count(max);
      const out = Buffer.alloc(n);
      for (let i = 0; i < n; i++) out[i] = r.int() & 0xff;
      return out;
    },
  };
}

/** `T x[n]`: exactly n elements, no count (e.g. `char model[32]`, one int per char). */
export function fixedArray<T>(inner: Codec<T>, n: number): Codec<T[]> {
  return {
    encode: (w, v) => {
      if (v.length !== n) throw new RangeError(`fixed array needs ${n} elements, got ${v.length}`);
      for (const item of v) inner.encode(w, item);
    },
    decode: (r) => {
      const out: T[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = inner.decode(r);
      return out;
    },
  };
}

/** A struct: fields in declaration order (object key order is insertion order). */
export function struct<T extends object>(fields: { [K in keyof T]: Codec<T[K]> }): Codec<T> {
  const entries = Object.entries(fields) as [keyof T, Codec<unknown>][];
  return {
    encode: (w, v) => {
      for (const [name, codec] of entries) codec.encode(w, v[name]);
    },
    decode: (r) => {
      const out = {} as T;
      for (const [name, codec] of entries) out[name] = codec.decode(r) as T[keyof T];
      return out;
    },
  };
}

/** Convenience: encode a value alone into a fresh buffer. */
export function encodeValue<T>(codec: Codec<T>, value: T): Buffer {
  const w = new XdrWriter();
  codec.encode(w, value);
  return w.finish();
}

/** Convenience: decode a value from a whole buffer (trailing bytes are ignored, as libvirt does). */
export function decodeValue<T>(codec: Codec<T>, buf: Buffer): T {
  return codec.decode(new XdrReader(buf));
}
