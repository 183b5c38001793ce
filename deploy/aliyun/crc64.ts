// CRC-64/ECMA-182 as Alibaba Cloud computes it (reflected, as in XZ): FC reports a function's
// code as this checksum, so comparing it tells whether the zip must be uploaded again.
const POLY = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;

const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = BigInt(n);
  for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ POLY : c >> 1n;
  return c;
});

/** The checksum as FC's `codeChecksum` shows it: an unsigned decimal string. */
export function crc64(data: Uint8Array): string {
  let crc = MASK;
  for (const byte of data) crc = (TABLE[Number((crc ^ BigInt(byte)) & 0xffn)] as bigint) ^ (crc >> 8n);
  return ((crc ^ MASK) & MASK).toString();
}
