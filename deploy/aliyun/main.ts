// `npm run deploy:aliyun [-- --dry-run] [--config file] [--generation 2|3]`: creates or updates parkflow on Function Compute.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apply } from './apply.js';
import { DeployConfigError, loadDeployConfig } from './config.js';
import { fc2 } from './fc2.js';
import { fc3 } from './fc3.js';
import { describePlan } from './plan.js';
import { planFunctions } from './plan-functions.js';
import { planRoles } from './roles.js';
import { HTTP_TRIGGER } from './spec.js';

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

const USAGE = 'Usage: npm run deploy:aliyun -- [--dry-run] [--config <file>] [--generation 2|3]';

const UNREACHABLE = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)\b/;

/** Which setting to look at when `host` cannot be reached. */
function reachFix(host: string | undefined, env: Record<string, string | undefined>): string {
  for (const variable of ['FC_ENDPOINT', 'RESOURCE_MANAGER_ENDPOINT']) {
    const url = env[variable];
    if (url && host && URL.canParse(url) && new URL(url).host === host) return `check ${variable}`;
  }
  return "check the region (ALIBABA_CLOUD_REGION_ID or the file's region) and this machine's network or proxy";
}

/** One line for a failed deploy; the stack only with DEBUG set. */
function explain(error: unknown, env: Record<string, string | undefined>): string {
  if (error instanceof DeployConfigError) return error.message;
  if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    return `${(error as Error).message}. ${USAGE}`;
  const { message = String(error), code = '', hostname, address, port } = error as Record<string, string | undefined>;
  const stack = env.DEBUG ? `\n${(error as Error).stack}` : '';
  const unreachable = UNREACHABLE.exec(`${code} ${message}`)?.[1];
  if (unreachable) {
    const host =
      hostname ??
      (address ? `${address}${port ? `:${port}` : ''}` : /(?:connect|getaddrinfo) \w+ (\S+)/.exec(message)?.[1]);
    return `The deploy failed: cannot reach ${host ?? 'the API'} (${unreachable}): ${reachFix(host, env)}.${stack}`;
  }
  return `The deploy failed: ${message.split('\n')[0]}${stack}`;
}

/** Runs the deploy and returns its exit code. */
export async function main(argv: string[], env: Record<string, string | undefined>, io: Output): Promise<number> {
  const out = (line: string) => io.log(line);
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        config: { type: 'string', default: join(import.meta.dirname, 'config.json') },
        generation: { type: 'string' },
      },
    });
    const config = loadDeployConfig(values.config, env, { generation: values.generation });
    const fc = (config.generation === 2 ? fc2 : fc3)(config);
    out(`${fc.title} ${config.region}, account ${config.env.ALIBABA_CLOUD_ACCOUNT_ID}:`);
    const changes = [...(await planRoles(config)), ...(await planFunctions(fc, config))];
    out(describePlan(changes));
    if (values['dry-run']) {
      out('Dry run: nothing was changed.');
      return 0;
    }
    for (const { change, result } of await apply(changes, out)) {
      const url = result && change.name.endsWith(`/${HTTP_TRIGGER}`) && fc.httpUrl(result);
      if (url) out(`${change.name}: POST ${url}`);
    }
    out('Deployed.');
    return 0;
  } catch (error) {
    io.error(explain(error, env));
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), process.env, console);
}
