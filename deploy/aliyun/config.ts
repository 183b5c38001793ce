import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';

/** Function settings that hold secrets: taken from the deploy's environment, never from the checked-in file. */
export const SECRET_SETTINGS = ['TOP_APP_SECRET', 'TOP_SESSION', 'WEBHOOK_SECRETS', 'IDEMPOTENCY_REDIS_URL'];
/** Set by the deploy itself from the file's other settings. */
const DERIVED_SETTINGS = ['DEAD_LETTER_MNS_URL'];

const name = (what: string) =>
  z.string().check(z.regex(/^[A-Za-z_][\w-]{0,63}$/, `must be ${what}: 1-64 letters, digits, _ or -`));
const whole = (min: number, max: number) =>
  z.int({ error: `must be a whole number from ${min} to ${max}` }).check(z.gte(min), z.lte(max));
const region = z.string().check(z.regex(/^[a-z]{2}(-[a-z0-9]+)+$/, 'must be a region id such as cn-hangzhou'));

const generation = z.union([z.literal(2), z.literal(3)], { error: 'must be 2 or 3 (the FC generation)' });

/** The checked-in settings file (deploy/aliyun/config.json). */
const settingsFile = z.strictObject({
  region,
  /** FC 3.0 (the default) or FC 2.0, for services made before FC 3.0. */
  generation: z.optional(generation),
  /** FC 2.0: the service holding the functions; FC 3.0: the prefix of the functions' names. */
  service: name('the FC service name'),
  /** RAM role the service assumes: FC needs it to write logs and to send failed events to MNS. */
  role: z.optional(name('a RAM role name')),
  memorySize: whole(128, 3072).check(z.multipleOf(64, 'must be a multiple of 64 (MB)')),
  timeout: whole(1, 600),
  http: z.strictObject({ authType: z.enum(['anonymous', 'function']) }),
  asyncInvocation: z.strictObject({
    maxRetries: whole(0, 8),
    maxEventAgeSeconds: whole(1, 86_400),
    deadLetterQueue: name('an MNS queue name'),
  }),
  /** EventBridge triggers from MNS queues named `<service>-<function>`; absent: none. */
  queueTriggers: z.optional(z.strictObject({ batchSize: whole(1, 10_000) })),
  log: z.optional(z.strictObject({ project: z.string(), logstore: z.string() })),
  environment: z
    .record(z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/, 'must be an environment variable name')), z.string())
    .check(
      z.superRefine((environment, ctx) => {
        for (const key of Object.keys(environment)) {
          const problem = SECRET_SETTINGS.includes(key)
            ? 'is a secret: set it in the environment of the deploy, not in this file'
            : DERIVED_SETTINGS.includes(key) && 'is set by the deploy from asyncInvocation.deadLetterQueue';
          if (problem) ctx.issues.push({ code: 'custom', message: problem, input: key, path: [key] });
        }
      }),
    ),
});
export type Settings = z.infer<typeof settingsFile>;

const required = (what: string) =>
  z.string({ error: `is not set: ${what}` }).check(z.minLength(1, `is empty: ${what}`));
const optional = z.optional(z.string());

/** The deploy's own environment: where to deploy, as whom, and the functions' secrets. */
const deployEnvironment = z
  .object({
    ALIBABA_CLOUD_ACCOUNT_ID: required('your Alibaba Cloud account id').check(
      z.regex(/^\d+$/, 'must be your Alibaba Cloud account id (digits)'),
    ),
    ALIBABA_CLOUD_ACCESS_KEY_ID: required('an AccessKey id (or an STS one, STS.…)'),
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: required('the AccessKey secret'),
    ALIBABA_CLOUD_SECURITY_TOKEN: optional,
    ALIBABA_CLOUD_REGION_ID: z.optional(region),
    FC_ENDPOINT: z.optional(z.url({ error: 'must be a URL such as https://fcv3.cn-hangzhou.aliyuncs.com' })),
    RESOURCE_MANAGER_ENDPOINT: z.optional(
      z.url({ error: 'must be a URL such as https://resourcemanager.aliyuncs.com' }),
    ),
    TOP_APP_KEY: required('the app key of your TOP application'),
    TOP_APP_SECRET: required('the app secret of your TOP application'),
    TOP_SESSION: optional,
    WEBHOOK_SECRETS: optional,
    IDEMPOTENCY_REDIS_URL: optional,
  })
  .check(
    z.refine((env) => !env.ALIBABA_CLOUD_ACCESS_KEY_ID?.startsWith('STS.') || !!env.ALIBABA_CLOUD_SECURITY_TOKEN, {
      path: ['ALIBABA_CLOUD_SECURITY_TOKEN'],
      message: 'is not set: an STS AccessKey needs its security token',
      // Checked even when other variables are wrong, so that every problem is told at once.
      when: () => true,
    }),
  );
export type DeployEnvironment = z.infer<typeof deployEnvironment>;

export interface DeployConfig {
  settings: Settings;
  env: DeployEnvironment;
  /** The region deployed to: ALIBABA_CLOUD_REGION_ID, else the file's. */
  region: string;
  /** The FC generation deployed to: `--generation`, else the file's, else 3. */
  generation: 2 | 3;
}

/** A problem with the settings; the message names every wrong field or variable. */
export class DeployConfigError extends Error {
  override name = 'DeployConfigError';
}

const describe = (issues: readonly z.core.$ZodIssue[], where: string) =>
  issues.map((i) => `${where}${i.path.map(String).join('.') || '(the file)'} ${i.message}`);

/** Reads the settings file and the deploy's environment, reporting every problem at once. */
export function loadDeployConfig(
  file: string,
  environment: Record<string, string | undefined>,
  options: { generation?: string | undefined } = {},
): DeployConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DeployConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  // Empty variables count as unset, as the functions' own settings do.
  const env = Object.fromEntries(Object.entries(environment).filter(([, v]) => v?.trim()));
  const parsedFile = z.safeParse(settingsFile, json);
  const parsedEnv = z.safeParse(deployEnvironment, env);
  const parsedOption = z.safeParse(z.optional(generation), options.generation && Number(options.generation));
  const problems = [
    ...describe(parsedFile.error?.issues ?? [], `${file}: `),
    ...describe(parsedEnv.error?.issues ?? [], ''),
    ...(parsedOption.error?.issues ?? []).map((i) => `--generation ${i.message}`),
  ];
  if (!parsedFile.success || !parsedEnv.success || !parsedOption.success) {
    throw new DeployConfigError(`The FC deploy is not configured:\n  ${problems.join('\n  ')}`);
  }
  const settings = parsedFile.data;
  return {
    settings,
    env: parsedEnv.data,
    region: parsedEnv.data.ALIBABA_CLOUD_REGION_ID ?? settings.region,
    generation: parsedOption.data ?? settings.generation ?? 3,
  };
}
