/**
 * A workload's records `[firstRecord, records)` with fewer of them, most to fewest removed: only the last one, the
 * later half, the earlier half, then one fewer at either end. `cap` is the most records the workload sends. Records
 * left out at the front keep the ones after them at their times, keys and values (WorkloadSpec.firstRecord), so
 * a failure caused by a late record can shrink to that record alone.
 */
export function fewerRecords<P extends { readonly records: number; readonly firstRecord?: number }>(p: P, cap: number): P[] {
  const last = Math.min(p.records, cap);
  const first = p.firstRecord ?? 0;
  const count = last - first;
  if (count <= 1) return [];
  const half = Math.floor(count / 2);
  const ranges: Array<[number, number]> = [
    [last - 1, last],
    [first + half, last],
    [first, first + count - half],
    [first + 1, last],
    [first, last - 1],
  ];
  const seen = new Set<string>();
  const smaller: P[] = [];
  for (const [from, to] of ranges) {
    const key = `${from}:${to}`;
    if (seen.has(key) || to - from >= count) continue;
    seen.add(key);
    smaller.push({ ...p, records: to, firstRecord: from });
  }
  return smaller;
}
