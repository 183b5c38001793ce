const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * MNS carries a message body as sent or base64-encoded (the console and the older SDKs encode by
 * default): a body that is not JSON text but decodes to JSON text is taken decoded.
 */
export function plainOrBase64(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) return text;
  const decoded = Buffer.from(trimmed, 'base64').toString('utf8');
  return decoded.trimStart().startsWith('{') ? decoded : text;
}
