import { maskMobile, maskPlate } from '../../shared/mask.js';
import type { SandboxCall } from '../sandbox/index.js';

/** A TOP call as the console shows it: no full plate or mobile number, no session key. */
export type MaskedCall = Omit<SandboxCall, 'params' | 'response'> & {
  params: Record<string, string>;
  response: unknown;
};

const DTO = 'pay_order_info_dto';

/** The personal values in a call's params, each with its mask, longest first. */
function personalValues(params: Record<string, string>): [string, string][] {
  const found: [string, string][] = [];
  const add = (value: unknown, mask: (v: string) => string) => {
    if (typeof value === 'string' && value !== '') found.push([value, mask(value)]);
  };
  add(params.car_no, maskPlate);
  add(params.mobile, maskMobile);
  try {
    const dto: unknown = JSON.parse(params[DTO] ?? 'null');
    if (typeof dto === 'object' && dto !== null) add((dto as Record<string, unknown>).car_no, maskPlate);
  } catch {
    // Not JSON: the sandbox's answer already says so; its text is masked below like the rest.
  }
  return found.sort(([a], [b]) => b.length - a.length);
}

/**
 * Masks every occurrence, in the params and in TOP's answer alike: a gateway error message may
 * quote the value it refused.
 */
export function maskCall(call: SandboxCall): MaskedCall {
  const values = personalValues(call.params);
  let text = JSON.stringify({ params: call.params, response: call.response });
  for (const [value, mask] of values) text = text.replaceAll(value, mask);
  const masked = JSON.parse(text) as { params: Record<string, string>; response: unknown };
  if (masked.params.session !== undefined) masked.params.session = '****';
  return { ...call, params: masked.params, response: masked.response };
}
