const GMT8_MS = 8 * 3600_000;

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `yyyy-MM-dd HH:mm:ss` in GMT+8, TOP's one date format, whatever the host's time zone. */
export function formatTopTime(epochMs: number): string {
  const d = new Date(epochMs + GMT8_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const TOP_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Reads `yyyy-MM-dd HH:mm:ss` as GMT+8; undefined when malformed or not a real date (2019-02-30). */
export function parseTopTime(text: string): number | undefined {
  const m = TOP_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    s > 59
  ) {
    return undefined;
  }
  return utc - GMT8_MS;
}
