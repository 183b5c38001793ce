import { readFileSync } from 'node:fs';
import { artifactPath } from '../functions.js';
import { crc64 } from './crc64.js';

/** A function's zip as both FC APIs take it inline, and the checksum FC reports for it. */
export function functionCode(fn: string): { zipFile: string; checksum: string } {
  let zip: Buffer;
  try {
    zip = readFileSync(artifactPath(fn));
  } catch {
    throw new Error(`${artifactPath(fn)} is missing: run npm run build first`);
  }
  return { zipFile: zip.toString('base64'), checksum: crc64(zip) };
}
