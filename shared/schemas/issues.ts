import type * as z from 'zod/mini';

/** One problem with the input, by field path (`pay_time`, `extend`), in words to act on. */
export interface InputIssue {
  path: string;
  message: string;
}

/** Every problem zod found, one line each; unknown fields are named one by one. */
export function describeIssues(error: z.core.$ZodError, known: readonly string[]): InputIssue[] {
  const out: InputIssue[] = [];
  for (const issue of error.issues) {
    const at = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: at ? `${at}.${key}` : key,
          message: `is not a field of this API; remove it (the fields are: ${known.join(', ')})`,
        });
      }
    } else if (issue.code === 'invalid_type' && at === '') {
      out.push({ path: '', message: 'the body must be a JSON object of the API fields' });
    } else {
      out.push({ path: at, message: issue.message });
    }
  }
  return out;
}
