// A Serverless plugin for local runs only (it hooks serverless-offline and nothing else):
// - the environment values that CloudFormation resolves at deploy time (`!Ref`, `!GetAtt`, …) and the
//   Secrets Manager secret (TOP_SECRET_ID) mean nothing on a laptop, and a setting left unset (null)
//   is not there: they are dropped before serverless-offline starts and the local stack's
//   environment (--localEnvironment, with TOP_APP_SECRET) takes their place;
// - each function's path also takes every other method, so that a GET reaches the function and is
//   answered with its own 405 JSON error rather than serverless-offline's 404 "route not found".

const cloudOnly = (name, value) => name === 'TOP_SECRET_ID' || typeof value === 'object';

function dropCloudOnly(environment) {
  for (const [name, value] of Object.entries(environment ?? {})) if (cloudOnly(name, value)) delete environment[name];
}

/** `POST /arrive` (or `{method, path}`) → the path, for HTTP API events. */
const httpApiPath = (event) => {
  const api = event?.httpApi;
  if (typeof api === 'string') return api.split(' ')[1];
  return api?.path;
};

function addAnyMethod(fn) {
  const paths = (fn.events ?? []).map(httpApiPath).filter((path) => path !== undefined);
  for (const path of paths) fn.events.push({ httpApi: { method: '*', path } });
}

export default class OfflineEnvPlugin {
  constructor(serverless) {
    this.hooks = {
      'before:offline:start:init': () => {
        const { provider, functions } = serverless.service;
        dropCloudOnly(provider.environment);
        for (const fn of Object.values(functions ?? {})) {
          dropCloudOnly(fn.environment);
          addAnyMethod(fn);
        }
      },
    };
  }
}
