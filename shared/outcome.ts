import type { InputIssue } from './schemas/issues.js';
import type { DeliveryResult } from './top/result.js';

/** How one event ended: not valid (nothing sent), or what delivery to TOP came to. */
export type Outcome = DeliveryResult | { kind: 'invalid'; message: string; issues: InputIssue[] };

export const invalid = (message: string, issues: InputIssue[] = []): Outcome => ({ kind: 'invalid', message, issues });
