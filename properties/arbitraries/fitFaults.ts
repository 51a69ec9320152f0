// Fault schedules drawn for the largest shape, fitted to the drawn one. A schedule that depended on the shape
// (drawn with `chain`) would be drawn anew whenever fast-check shrank the shape (fewer brokers, partitions or
// consumers), so shrinking could never keep the faults and lose a broker; drawn independently and fitted here,
// each dimension shrinks on its own and the faults stay the faults.
import type { Fault } from '../../src/faults/Fault.ts';

/**
 * Renames every node or role a fault names (`node`, `isolate`, partition groups, one-way sides, link ends) by
 * `rename`; a link fault whose two ends become one node is dropped (its opening and its closing alike).
 */
export function fitFaults(faults: readonly Fault[], rename: (target: string) => string): Fault[] {
  return faults.flatMap((fault): Fault[] => {
    switch (fault.kind) {
      case 'heal':
        return [fault];
      case 'link': {
        const from = rename(fault.from);
        const to = rename(fault.to);
        return from === to ? [] : [{ ...fault, from, to }];
      }
      case 'partition':
        if ('isolate' in fault) return [{ ...fault, isolate: rename(fault.isolate) }];
        if ('groups' in fault) return [{ ...fault, groups: fault.groups.map((group) => group.map(rename)) }];
        if ('majoritiesRing' in fault) return [{ ...fault, majoritiesRing: fault.majoritiesRing.map(rename) }];
        return [{ ...fault, oneWay: { from: fault.oneWay.from.map(rename), to: fault.oneWay.to.map(rename) } }];
      default:
        return [{ ...fault, node: rename(fault.node) }];
    }
  });
}

/**
 * Folds a numbered name onto the first `count`: `broker-5` with 3 brokers is `broker-2`, `leader:events-2` with 2
 * partitions is `leader:events-0`. `pattern` captures the text before the number, the number, and the rest.
 */
export function foldNumbered(pattern: RegExp, count: number, base: 0 | 1): (target: string) => string {
  return (target) => {
    const match = pattern.exec(target);
    if (match === null) return target;
    const [, before = '', number = '0', after = ''] = match;
    return `${before}${((Number(number) - base) % count) + base}${after}`;
  };
}
