/**
 * The last guard before a number is encoded: XDR's unsigned int holds
 * 0..4294967295, and the encoder would silently wrap anything else
 * (4294967297 becomes 1). Callers check operator input first (the ui's
 * OptionValues, with virt-admin's messages); reaching this is a bug, so it
 * throws instead of sending a different value.
 */
export const UINT_MAX = 0xffff_ffff;

export function checkWireUint(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > UINT_MAX) {
    throw new RangeError(`${name}: ${value} is not an unsigned int (0..${UINT_MAX}); nothing was sent`);
  }
}
