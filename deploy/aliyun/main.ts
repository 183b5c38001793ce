// `npm run deploy:aliyun [-- --dry-run] [--config file]`: creates or updates parkflow on Function Compute.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { apply } from './apply.js';
import { DeployConfigError, loadDeployConfig } from './config.js';
import { connect } from './fc-client.js';
import { describePlan, plan } from './plan.js';
import { HTTP_TRIGGER } from './spec.js';

export interface Output {
  log(line: string): void;
  error(line: string): void;
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
      },
    });
    const config = loadDeployConfig(values.config, env);
    out(`Function Compute ${config.region}, account ${config.env.ALIBABA_CLOUD_ACCOUNT_ID}:`);
    const changes = await plan(connect(config), config);
    out(describePlan(changes));
    if (values['dry-run']) {
      out('Dry run: nothing was changed.');
      return 0;
    }
    for (const { change, result } of await apply(changes, out)) {
      const url = result?.urlInternet;
      if (change.name.endsWith(`/${HTTP_TRIGGER}`) && typeof url === 'string') out(`${change.name}: POST ${url}`);
    }
    out('Deployed.');
    return 0;
  } catch (error) {
    const message = (error as Error).message;
    io.error(error instanceof DeployConfigError ? message : `The deploy failed: ${message}`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), process.env, console);
}
