// A Serverless plugin for local runs only (it hooks serverless-offline and nothing else): the
// environment values that CloudFormation resolves at deploy time (`!Ref`, `!GetAtt`, …) and the
// Secrets Manager secret (TOP_SECRET_ID) mean nothing on a laptop, and a setting left unset (null)
// is not there: they are dropped before serverless-offline starts and the local stack's
// environment (--localEnvironment, with TOP_APP_SECRET) takes their place.

const cloudOnly = (name, value) => name === 'TOP_SECRET_ID' || typeof value === 'object';

function dropCloudOnly(environment) {
  for (const [name, value] of Object.entries(environment ?? {})) if (cloudOnly(name, value)) delete environment[name];
}

export default class OfflineEnvPlugin {
  constructor(serverless) {
    this.hooks = {
      'before:offline:start:init': () => {
        const { provider, functions } = serverless.service;
        dropCloudOnly(provider.environment);
        for (const fn of Object.values(functions ?? {})) dropCloudOnly(fn.environment);
      },
    };
  }
}
