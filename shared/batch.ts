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
  const lanes = new Map<unknown, number[]>();
  records.forEach((record, i) => {
    const lane = record.group ?? Symbol();
    lanes.set(lane, [...(lanes.get(lane) ?? []), i]);
  });
  const queue = [...lanes.values()];
  const results: R[] = new Array(records.length);
  const worker = async () => {
    for (let lane = queue.shift(); lane; lane = queue.shift()) {
      let stopped = false;
      for (const i of lane) {
        const record = records[i] as EventRecord;
        results[i] = stopped ? skipped(record) : await work(record);
        stopped ||= stops(results[i] as R);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  return results;
}
