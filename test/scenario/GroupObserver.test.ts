import { describe, expect, it } from 'vitest';
import { GroupObserver } from '../../src/scenario/GroupObserver.ts';
import type { NodeNote } from '../../src/kernel/NodeHost.ts';

const consumers = [
  { id: 'consumer-1', groupId: 'g', topics: ['t'] },
  { id: 'consumer-2', groupId: 'h', topics: ['t'] },
];
const note = (node: string, atMs: number, data: object): NodeNote => ({ node, atMs, incarnation: 1, data });
const owned = (node: string, atMs: number, generation: number, partitions: string[]) =>
  note(node, atMs, { group: 'owned', groupId: node === 'consumer-1' ? 'g' : 'h', memberId: `${node}-m`, generation, partitions });
const failed = (node: string, atMs: number) => note(node, atMs, { group: 'failed', groupId: node === 'consumer-1' ? 'g' : 'h', memberId: `${node}-m`, errorCode: 'FENCED_INSTANCE_ID' });

// shared/regressions/static-member-*.json: a static member fenced with FENCED_INSTANCE_ID (fatal) reports what it
// still owns right after its `failed` note; that `owned` note must not bring it back to life, or the run expects
// a group nobody is left to drain to process every record (a false liveness alarm).
describe('GroupObserver: a consumer stopped by a fatal error', () => {
  it('stays failed after the ownership note it emits as it stops, so its group is no longer expected to drain', () => {
    const observer = new GroupObserver(consumers, () => 2);
    observer.observe(owned('consumer-1', 100, 2, ['t-0', 't-1']));
    observer.observe(failed('consumer-1', 200));
    observer.observe(owned('consumer-1', 200, 2, []));
    expect(observer.activeGroups()).toEqual(['h']);
  });

  it('is live again once restarted: a restarted consumer is a new application', () => {
    const observer = new GroupObserver(consumers, () => 2);
    observer.observe(failed('consumer-1', 200));
    observer.observe(owned('consumer-1', 200, 2, []));
    observer.nodeDown('consumer-1', 300);
    expect(observer.activeGroups()).toEqual(['g', 'h']);
    observer.observe(failed('consumer-1', 400));
    expect(observer.activeGroups()).toEqual(['h']);
  });

  it('ignores a node that is not a consumer', () => {
    const observer = new GroupObserver(consumers, () => 2);
    observer.nodeDown('broker-1', 100);
    expect(observer.log()).toEqual([]);
  });
});
