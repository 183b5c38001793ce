import type { Change, Resource } from './plan.js';

export interface Applied {
  change: Change;
  /** The resource as the cloud has it after the deploy. */
  result: Resource | undefined;
}

/** Makes the planned changes one after another, in the plan's order (a parent before its children). */
export async function apply(changes: Change[], log: (line: string) => void): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const change of changes) {
    if (change.action === 'none') {
      applied.push({ change, result: change.current });
      continue;
    }
    const result = await change.send();
    log(`${change.action === 'create' ? 'created' : 'updated'} ${change.kind} ${change.name}`);
    applied.push({ change, result });
  }
  return applied;
}
