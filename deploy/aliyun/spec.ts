import { type DeployConfig, SECRET_SETTINGS } from './config.js';
import type { Resource } from './plan.js';

// What parkflow wants on FC, in the field names both FC APIs share (2016-08-15 and 2023-03-30).

export const RUNTIME = 'nodejs20';
export const HANDLER = 'index.handler';
export const HTTP_TRIGGER = 'http';
export const QUEUE_TRIGGER = 'queue';

const mnsQueueArn = ({ env, region }: DeployConfig, queue: string) =>
  `acs:mns:${region}:${env.ALIBABA_CLOUD_ACCOUNT_ID}:/queues/${queue}`;

/**
 * `<service>-<function>`: the MNS queue a function's queue trigger reads from, and in FC 3.0, which
 * has no services, the function's own name (as in s.yaml).
 */
export const ownName = ({ settings }: DeployConfig, fn: string) => `${settings.service}-${fn}`;

/** What a function runs with: set on the service in FC 2.0, on each function in FC 3.0. */
export function runSpec(config: DeployConfig): Resource {
  const { settings, env } = config;
  return {
    internetAccess: true,
    ...(settings.role && { role: `acs:ram::${env.ALIBABA_CLOUD_ACCOUNT_ID}:role/${settings.role}` }),
    ...(settings.log && { logConfig: { ...settings.log, enableRequestMetrics: true, logBeginRule: 'DefaultRegex' } }),
  };
}

export function serviceSpec(config: DeployConfig): Resource {
  return { description: 'parkflow: car-park events to Tmall / Miaojie through TOP', ...runSpec(config) };
}

/** The function's settings (docs/architecture.md §10): the file's, the secrets from the deploy's environment, the dead-letter queue. */
export function functionEnvironment(config: DeployConfig): Record<string, string> {
  const { settings, env, region } = config;
  const fromEnv = env as Record<string, string | undefined>;
  const secrets = ['TOP_APP_KEY', ...SECRET_SETTINGS].flatMap((k) => (fromEnv[k] ? [[k, fromEnv[k]]] : []));
  const queue = settings.asyncInvocation.deadLetterQueue;
  return {
    ...settings.environment,
    ...Object.fromEntries(secrets),
    DEAD_LETTER_MNS_URL: `https://${env.ALIBABA_CLOUD_ACCOUNT_ID}.mns.${region}.aliyuncs.com/queues/${queue}`,
  };
}

export function functionSpec(config: DeployConfig, fn: string): Resource {
  return {
    description: `parkflow ${fn}`,
    runtime: RUNTIME,
    handler: HANDLER,
    memorySize: config.settings.memorySize,
    timeout: config.settings.timeout,
    environmentVariables: functionEnvironment(config),
  };
}

export function httpTriggerSpec({ settings }: DeployConfig): Resource {
  return { triggerType: 'http', triggerConfig: { authType: settings.http.authType, methods: ['POST'] } };
}

/**
 * An EventBridge trigger from the function's MNS queue, in batches. The function reports a failed
 * batch by throwing: EventBridge retries it with backoff, then puts it in the dead-letter queue.
 */
export function queueTriggerSpec(config: DeployConfig, fn: string, batchSize: number): Resource {
  return {
    triggerType: 'eventbridge',
    triggerConfig: {
      triggerEnable: true,
      asyncInvocationType: false,
      eventRuleFilterPattern: '{}',
      eventSourceConfig: {
        eventSourceType: 'MNS',
        // The function decodes base64 bodies itself, and takes plain ones as they are.
        eventSourceParameters: { sourceMNSParameters: { QueueName: ownName(config, fn), IsBase64Decode: false } },
      },
      runOptions: {
        mode: 'event-streaming',
        maximumTasks: 1,
        errorsTolerance: 'ALL',
        retryStrategy: { PushRetryStrategy: 'BACKOFF_RETRY' },
        deadLetterQueue: { Arn: mnsQueueArn(config, config.settings.asyncInvocation.deadLetterQueue) },
        batchWindow: { CountBasedWindow: batchSize, TimeBasedWindow: 2 },
      },
    },
  };
}

/** Async invocations (queue mode hands events over this way): retried by FC, then sent to the dead-letter queue. */
export function asyncInvocationSpec(config: DeployConfig): Resource {
  const { maxRetries, maxEventAgeSeconds, deadLetterQueue } = config.settings.asyncInvocation;
  return {
    maxAsyncRetryAttempts: maxRetries,
    maxAsyncEventAgeInSeconds: maxEventAgeSeconds,
    destinationConfig: { onFailure: { destination: `${mnsQueueArn(config, deadLetterQueue)}/messages` } },
  };
}
