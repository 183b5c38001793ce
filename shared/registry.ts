import functions from './functions.json';

/**
 * Every function parkflow deploys and the TOP method it reports to, in functions.json (plain JSON,
 * so scripts/build.mjs reads the same list). Build, deploy, replay, the local stack and the tests
 * list functions from here. No bundle imports it: each functions/<name>.ts picks its own API
 * module, so a bundle holds only its own schema.
 */
export type FunctionName = keyof typeof functions;

export const FUNCTION_NAMES = Object.keys(functions) as FunctionName[];

export const isFunctionName = (name: string | undefined): name is FunctionName =>
  name !== undefined && Object.hasOwn(functions, name);

export const methodOf = (name: FunctionName): string => functions[name].method;
