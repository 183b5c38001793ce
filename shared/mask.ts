/** `浙A12345` → `浙A****5`: enough to tell events apart in a log, not enough to name a car. */
export function maskPlate(plate: string): string {
  const chars = [...plate];
  return chars.length <= 3 ? '*'.repeat(chars.length) : `${chars.slice(0, 2).join('')}****${chars.at(-1)}`;
}

/** `15988855789` → `159****5789`. */
export function maskMobile(mobile: string): string {
  return mobile.length < 8 ? '*'.repeat(mobile.length) : `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}
