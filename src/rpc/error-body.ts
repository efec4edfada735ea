/**
 * The error body of every status=ERROR reply (`virNetMessageError`, wp §6):
 * code, domain, message, level, dom (always NULL from 9.0 servers), str1-3,
 * int1-2, net (always NULL).
 */
import { type Codec, fixedOpaque, int, nonnullString, nullableString, optional, struct } from './codec.js';
import { VirError } from './vir-error.js';

/** `remote_nonnull_domain` as the error body declares it; decoded and dropped. */
const errorDomainRef = struct<{ name: string; uuid: Buffer; id: number }>({
  name: nonnullString,
  uuid: fixedOpaque(16),
  id: int,
});
const errorNetworkRef = struct<{ name: string; uuid: Buffer }>({ name: nonnullString, uuid: fixedOpaque(16) });
const optionalDomainRef = optional(errorDomainRef);
const optionalNetworkRef = optional(errorNetworkRef);

export const errorBody: Codec<VirError> = {
  encode(w, e) {
    w.int(e.code).int(e.domain);
    nullableString.encode(w, e.message);
    w.int(e.level);
    w.uint(0); // dom: NULL
    nullableString.encode(w, e.str1);
    nullableString.encode(w, e.str2);
    nullableString.encode(w, e.str3);
    w.int(e.int1).int(e.int2);
    w.uint(0); // net: NULL
  },
  decode(r) {
    const code = r.int();
    const domain = r.int();
    const message = nullableString.decode(r);
    const level = r.int();
    optionalDomainRef.decode(r);
    const str1 = nullableString.decode(r);
    const str2 = nullableString.decode(r);
    const str3 = nullableString.decode(r);
    const int1 = r.int();
    const int2 = r.int();
    optionalNetworkRef.decode(r);
    return new VirError({
      code,
      domain,
      message: message ?? 'unknown error',
      level,
      str1,
      str2,
      str3,
      int1,
      int2,
    });
  },
};
