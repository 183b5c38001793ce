import type { Resource } from './fc-client.js';
import type { Change } from './plan.js';

export interface Applied {
  change: Change;
  /** The resource as FC has it after the deploy. */
  result: Resource | undefined;
}

/** Makes the planned changes one after another, in the plan's order (a service before its functions). */
export async function apply(changes: Change[], log: (line: string) => void): Promise<Applied[]> {
  const applied: Applied[] = [];
  for (const change of changes) {
    if (change.action === 'none') {
      applied.push({ change, result: change.current });
      continue;
    }
    const { data } = await change.send();
    log(`${change.action === 'create' ? 'created' : 'updated'} ${change.kind} ${change.name}`);
    applied.push({ change, result: data });
  }
  return applied;
}
