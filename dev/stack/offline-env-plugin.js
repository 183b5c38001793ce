// A Serverless plugin for local runs only (it hooks serverless-offline and nothing else): the
// environment values that CloudFormation resolves at deploy time (`{{resolve:…}}` dynamic
// references, `!Ref`, `!GetAtt`, …) mean nothing on a laptop, so they are dropped before
// serverless-offline starts and the local stack's environment (--localEnvironment) takes their place.

const cloudOnly = (value) =>
  (typeof value === 'object' && value !== null) || (typeof value === 'string' && value.includes('{{resolve:'));

function dropCloudOnly(environment) {
  for (const [name, value] of Object.entries(environment ?? {})) if (cloudOnly(value)) delete environment[name];
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
