import type { Outcome } from './outcome.js';

/** `浙A12345` → `浙A****5`: enough to tell events apart in a log, not enough to name a car. */
export function maskPlate(plate: string): string {
  const chars = [...plate];
  return chars.length <= 3 ? '*'.repeat(chars.length) : `${chars.slice(0, 2).join('')}****${chars.at(-1)}`;
}

/** `15988855789` → `159****5789`. */
export function maskMobile(mobile: string): string {
  return mobile.length < 8 ? '*'.repeat(mobile.length) : `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
}

/** What an event's log line and answers may show of its plate and mobile number, and how to keep other texts from quoting them. */
export interface PersonalData {
  car_no?: string | undefined;
  mobile?: string | undefined;
  /** Replaces the full plate and mobile number with their masks, e.g. in TOP's messages, which may quote a value they refuse. */
  scrub(text: string): string;
}

/** Shorter values identify no one, and replacing them would garble unrelated text. */
const MIN_SCRUBBED = 4;

export function personalData(body: Record<string, unknown>): PersonalData {
  const plate = typeof body.car_no === 'string' ? body.car_no.trim() : undefined;
  const mobile =
    typeof body.mobile === 'string' || typeof body.mobile === 'number' ? String(body.mobile).trim() : undefined;
  const car_no = plate ? maskPlate(plate) : undefined;
  const mobileMask = mobile ? maskMobile(mobile) : undefined;
  return {
    car_no,
    mobile: mobileMask,
    // Only failures are scrubbed: the list of replacements is made then, not for every event.
    scrub(text) {
      const masks: [string, string][] = [];
      if (plate && car_no) masks.push([plate, car_no]);
      if (mobile && mobileMask) masks.push([mobile, mobileMask]);
      return masks
        .filter(([full]) => full.length >= MIN_SCRUBBED)
        .sort(([a], [b]) => b.length - a.length)
        .reduce((out, [full, mask]) => out.replaceAll(full, mask), text);
    },
  };
}

/** An outcome whose texts (ours and TOP's) are fit for a log line, a dead letter and an answer. */
export function scrubOutcome(outcome: Outcome, { scrub }: PersonalData): Outcome {
  if (outcome.kind !== 'rejected' && outcome.kind !== 'transient') return outcome;
  const { message, msg, sub_msg, body } = outcome.failure;
  const texts = {
    message: scrub(message),
    msg: msg && scrub(msg),
    sub_msg: sub_msg && scrub(sub_msg),
    body: body && scrub(body),
  };
  return { ...outcome, failure: { ...outcome.failure, ...texts } };
}
