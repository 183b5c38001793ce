import { jsonTextIssue } from '../json-text.js';
import { field, integer, Problem } from './field.js';

/** Java's Long: TOP's `Number` fields. */
export const JAVA_LONG_MAX = 2n ** 63n - 1n;

const CONTROL = /\p{Cc}/u;
/**
 * Plates as parking systems read them: province character + letters/digits for the 7-character
 * plates, 8 for new-energy ones, and special (使, 领, 警, 学, 挂, 港, 澳), military, armed-police (WJ)
 * and temporary (临) plates; some systems put a dot or a middle dot after the issuing letter
 * (`浙A.66666`) or report unreadable plates in words (`无牌车`).
 */
const PLATE = /^[\p{Script=Han}A-Za-z0-9](?:[\p{Script=Han}A-Za-z0-9.·-]*[\p{Script=Han}A-Za-z0-9])?$/u;
const PLATE_MAX = 16;

export const plate = (required = 'is required') =>
  field((value) => {
    if (typeof value !== 'string') return new Problem('must be the plate as text, like "浙A12345"');
    const p = value.trim();
    if (p === '') return new Problem('must not be empty: send the plate as read, like "浙A12345"');
    if (CONTROL.test(p)) return new Problem('must not contain control characters (line breaks, tabs, NUL)');
    const length = [...p].length;
    if (length < 2 || length > PLATE_MAX) return new Problem(`must be 2 to ${PLATE_MAX} characters, like "浙A12345"`);
    if (!PLATE.test(p))
      return new Problem('may hold only Chinese characters, letters, digits and the separators . · -');
    return p;
  }, required);

const MOBILE = /^1[3-9]\d{9}$/;

/** Mainland mobile numbers; 11 digits always fit a JSON number exactly, so either form is fine. */
export const mobile = () =>
  field((value) => {
    if (typeof value !== 'string' && typeof value !== 'number')
      return new Problem('must be an 11-digit mainland China mobile number');
    const digits = String(value).trim();
    return MOBILE.test(digits)
      ? digits
      : new Problem('must be an 11-digit mainland China mobile number starting with 1, like "13800138000"');
  });

export const mallId = () => integer({ min: 1, max: JAVA_LONG_MAX, hint: 'the Miaojie mall id, like 123' });

/** `extend` is a JSON object, as such or as JSON text; it is sent as JSON text. */
export const jsonObject = () =>
  field((value) => {
    let object: unknown = value;
    if (typeof value === 'string') {
      try {
        object = JSON.parse(value);
      } catch {
        return new Problem('must be a JSON object or the JSON text of one; this text is not valid JSON');
      }
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      return new Problem('must be a JSON object, like {"key": "value"}');
    }
    const issue = typeof value === 'string' ? jsonTextIssue(value) : undefined;
    if (issue) return new Problem(`${issue.path ? `has "${issue.path}" that ` : ''}${issue.message}`);
    return JSON.stringify(object);
  });
