// `npm run bench:hand-off`: what each way of handing an event off on FC 3.0 costs a function: the
// bytes it adds to a bundle, and, in fresh processes, the time to load it and make a first call
// against a local stand-in (no TLS, no network: the code's own cost). docs/decisions.md holds the figures.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { startMns } from '../test/support/cloud-stand-ins.js';
import { startFc3Api } from '../test/support/fc3-api.js';
import { median } from './stats.js';

// Asynchronous, so that the stand-ins in this process keep answering.
const run = promisify(execFile);
const RUNS = process.argv.includes('--quick') ? 5 : 15;
const root = join(import.meta.dirname, '..');
const credentials = { accessKeyId: 'STS.bench', accessKeySecret: 'bench', securityToken: 'bench' };
const event = JSON.stringify({ mall_id: 123, car_no: '浙A12345', start_time: '2026-11-22 10:00:00' });

/** Each contender as a module exporting `call(endpoint)`; `null` when it is measured for size and load only. */
const CONTENDERS: Record<string, string> = {
  'InvokeFunction, own ACS3 signer': `
    const { invokeFc3Async } = require(${JSON.stringify(join(root, 'shared/cloud/fc3-invoke.ts'))});
    exports.call = (endpoint) => invokeFc3Async(
      { accountId: '1', region: 'cn-hangzhou', credentials: ${JSON.stringify(credentials)}, functionName: 'parkflow-arrive', qualifier: 'LATEST' },
      ${JSON.stringify(event)}, 5000, endpoint);`,
  'MNS SendMessage (own signer)': `
    const { sendMnsMessage } = require(${JSON.stringify(join(root, 'shared/cloud/mns.ts'))});
    exports.call = (endpoint) => sendMnsMessage(endpoint + '/queues/parkflow-arrive', ${JSON.stringify(event)}, ${JSON.stringify(credentials)}, 5000);`,
  'InvokeFunction, @alicloud/fc20230330': `
    const Client = require('@alicloud/fc20230330').default;
    exports.call = null;`,
};

const dir = mkdtempSync(join(tmpdir(), 'parkflow-hand-off-'));
const fc3 = await startFc3Api(credentials);
fc3.functions.set('parkflow-arrive', { functionName: 'parkflow-arrive' });
const mns = await startMns();
const endpoints = [fc3.url, mns.origin, ''];

console.log(`FC 3.0 hand-off: bundle bytes, and median of ${RUNS} fresh processes (Node ${process.versions.node})`);
console.log('contender                               size KB   load ms   first call ms');
try {
  for (const [i, [name, source]] of Object.entries(CONTENDERS).entries()) {
    const entry = join(dir, `entry-${i}.cjs`);
    const bundle = join(dir, `bundle-${i}.cjs`);
    writeFileSync(entry, source);
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      minify: true,
      outfile: bundle,
      logLevel: 'silent',
      nodePaths: [join(root, 'node_modules')],
    });
    const probe = `const t0 = performance.now(); const m = require(${JSON.stringify(bundle)}); const t1 = performance.now();
      (m.call ? m.call(${JSON.stringify(endpoints[i])}) : Promise.resolve()).then(() => console.log(JSON.stringify([t1 - t0, performance.now() - t1])));`;
    const load: number[] = [];
    const call: number[] = [];
    for (let n = 0; n < RUNS; n++) {
      const [l, c] = JSON.parse((await run(process.execPath, ['-e', probe])).stdout) as number[];
      load.push(l as number);
      call.push(c as number);
    }
    const hasCall = source.includes('exports.call = null') ? '—' : median(call).toFixed(1);
    console.log(
      `${name.padEnd(40)}${(statSync(bundle).size / 1024).toFixed(1).padStart(7)}${median(load).toFixed(1).padStart(10)}${hasCall.padStart(16)}`,
    );
  }
  if (fc3.rejected.length > 0) throw new Error(`the FC stand-in refused: ${fc3.rejected.join('; ')}`);
} finally {
  await Promise.all([fc3.close(), mns.close()]);
  rmSync(dir, { recursive: true, force: true });
}
