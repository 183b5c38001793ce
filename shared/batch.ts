import type { EventRecord } from './triggers/envelope.js';

/**
 * Runs `work` on every record with at most `limit` running at once, results in record order.
 * Records of one FIFO group run one after another, and once one of them `stops` the group, the
 * rest of that group are not run but given `skipped`: sending them would overtake the failed one.
 */
export async function runBatch<R>(
  records: EventRecord[],
  limit: number,
  work: (record: EventRecord) => Promise<R>,
  stops: (result: R) => boolean,
  skipped: (record: EventRecord) => R,
): Promise<R[]> {
  // One record (every HTTP event) has no order to keep and nothing to share the limit with.
  if (records.length === 1) return [await work(records[0] as EventRecord)];
  // A lane per FIFO group, in order of first appearance; every other record is a lane of its own.
  const lanes: number[][] = [];
  const groups = new Map<string, number[]>();
  records.forEach((record, i) => {
    if (record.group === undefined) {
      lanes.push([i]);
      return;
    }
    let lane = groups.get(record.group);
    if (!lane) {
      lane = [];
      groups.set(record.group, lane);
      lanes.push(lane);
    }
    lane.push(i);
  });
  const results: R[] = new Array(records.length);
  let next = 0;
  const worker = async () => {
    for (let lane = lanes[next++]; lane; lane = lanes[next++]) {
      let stopped = false;
      for (const i of lane) {
        const record = records[i] as EventRecord;
        results[i] = stopped ? skipped(record) : await work(record);
        stopped ||= stops(results[i] as R);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, lanes.length) }, worker));
  return results;
}
