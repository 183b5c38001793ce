import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadApis } from '../scripts/apis.js';
import { FUNCTION_NAMES, methodOf } from '../shared/registry.js';
import { DIST } from './support/bundles.js';

const ROOT = join(import.meta.dirname, '..');
const yamlKeys = (file: string, section: string) =>
  Object.keys(parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true, logLevel: 'silent' })[section]).sort();

describe('the registry (shared/functions.json)', () => {
  it('has one entry in functions/ per function, and nothing else there', () => {
    const entries = readdirSync(join(ROOT, 'functions')).map((f) => basename(f, '.ts'));
    expect(entries.sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it("binds each entry to the API of its own name, with the registry's method", async () => {
    const apis = await loadApis();
    expect(apis.map((api) => api.name)).toEqual(FUNCTION_NAMES);
    for (const api of apis) expect(api.method).toBe(methodOf(api.name));
  });

  it('is deployed whole by serverless.yml and s.yaml, which are written by hand', () => {
    expect(yamlKeys('serverless.yml', 'functions')).toEqual([...FUNCTION_NAMES].sort());
    expect(yamlKeys('s.yaml', 'resources')).toEqual([...FUNCTION_NAMES].sort());
  });
});

describe('each bundle holds only its own API', () => {
  const bundle = (name: string) => readFileSync(join(DIST, name, 'index.js'), 'utf8');
  // Field names only one of the two schemas has; minifying keeps them, as they are property names.
  const PAYINFO_ONLY = ['pay_order_info_dto', 'pay_fee', 'order_type'];
  const BACKFLOW_ONLY = ['park_duration', 'coupon_id', 'result_dto'];

  it.each(['arrive', 'leave', 'pay'])('%s carries the backflow schema and not the payinfo one', (name) => {
    const code = bundle(name);
    for (const field of BACKFLOW_ONLY) expect(code).toContain(field);
    for (const field of PAYINFO_ONLY) expect(code).not.toContain(field);
  });

  it('payinfo-sync carries the payinfo schema and not the backflow one', () => {
    const code = bundle('payinfo-sync');
    for (const field of PAYINFO_ONLY) expect(code).toContain(field);
    for (const field of BACKFLOW_ONLY) expect(code).not.toContain(field);
  });
});
