// A CPU quota that stands in for a small instance (FC's smallest is a quarter of a vCPU; Lambda at
// 256 MB about a seventh): a cgroup, v1 (cpu.cfs_quota_us) or v2 (cpu.max). Needs root.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const QUOTA_VCPU = 0.25;
const PERIOD_US = 100_000;
const NAME = `parkflow-bench-${process.pid}`;

export interface Quota {
  /** The cgroup.procs file a process writes its pid to, to run under the quota. */
  procs: string;
  remove(): void;
}

/** The quota's cgroup, or undefined (and why on stderr) where it cannot be made. */
export function makeQuota(): Quota | undefined {
  const quotaUs = String(QUOTA_VCPU * PERIOD_US);
  try {
    const v2 = readFileSync('/proc/self/mounts', 'utf8').includes(' /sys/fs/cgroup cgroup2 ');
    const dir = v2 ? join('/sys/fs/cgroup', NAME) : join('/sys/fs/cgroup/cpu', NAME);
    if (v2) writeFileSync('/sys/fs/cgroup/cgroup.subtree_control', '+cpu');
    if (!existsSync(dir)) mkdirSync(dir);
    if (v2) writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${PERIOD_US}`);
    else {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), quotaUs);
    }
    // A cgroup can be removed once its processes have exited.
    return { procs: join(dir, 'cgroup.procs'), remove: () => rmdirSync(dir) };
  } catch (err) {
    console.error(`[bench] no CPU quota (${(err as Error).message.split('\n')[0]}): the quota rows are left out`);
    return undefined;
  }
}
