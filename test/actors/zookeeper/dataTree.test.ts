import { describe, expect, it } from 'vitest';
import { applyWrite, emptyDataTree, read, type DataTree } from '../../../actors/zookeeper/dataTree.ts';
import type { ZkOp } from '../../../src/protocol/zookeeperMessages.ts';

// ZooKeeper's data tree: versioned znodes, ephemeral owners, one transaction per write (a multi too), one-shot watches.
const create = (path: string, data: unknown = null, ephemeral = false): ZkOp => ({ op: 'create', path, data, ephemeral });
const write = (tree: DataTree, ops: ZkOp[], sessionId = 7, nowMs = 100) => applyWrite(tree, ops, sessionId, nowMs);

describe('the data tree', () => {
  it('creates znodes under existing parents, each write a transaction with the next zxid', () => {
    let tree = emptyDataTree();
    const brokers = write(tree, [create('/brokers')]);
    expect(brokers.errorCode).toBe('OK');
    tree = brokers.tree;
    expect(tree.zxid).toBe(1);
    const ids = write(tree, [create('/brokers/ids')]);
    tree = ids.tree;
    expect(ids.results[0]?.stat).toMatchObject({ czxid: 2, mzxid: 2, version: 0, ephemeralOwner: 0 });
    expect(tree.nodes['/brokers']?.children).toEqual(['ids']);
    expect(tree.nodes['/brokers']?.stat).toMatchObject({ cversion: 1, pzxid: 2, numChildren: 1 });
    expect(write(tree, [create('/brokers/ids')]).errorCode).toBe('NODEEXISTS');
    expect(write(tree, [create('/controller/x')]).errorCode).toBe('NONODE');
    expect(write(tree, [create('brokers')]).errorCode).toBe('BADARGUMENTS');
    expect(write(tree, [create('/brokers/')]).errorCode).toBe('BADARGUMENTS');
  });

  it('checks versions on setData, delete and check (-1 matches any), and refuses deleting a parent', () => {
    let tree = write(emptyDataTree(), [create('/a', { v: 0 }), create('/a/b')]).tree;
    expect(write(tree, [{ op: 'setData', path: '/a', data: { v: 1 }, version: 1 }]).errorCode).toBe('BADVERSION');
    const set = write(tree, [{ op: 'setData', path: '/a', data: { v: 1 }, version: 0 }]);
    expect(set.results[0]?.stat).toMatchObject({ version: 1, mzxid: 2, czxid: 1 });
    tree = set.tree;
    expect(read(tree, 'getData', '/a', null)).toMatchObject({ errorCode: 'OK', data: { v: 1 } });
    expect(write(tree, [{ op: 'setData', path: '/a', data: 2, version: -1 }]).results[0]?.stat?.version).toBe(2);
    expect(write(tree, [{ op: 'delete', path: '/a', version: -1 }]).errorCode).toBe('NOTEMPTY');
    expect(write(tree, [{ op: 'delete', path: '/a/b', version: 3 }]).errorCode).toBe('BADVERSION');
    expect(write(tree, [{ op: 'check', path: '/a', version: 0 }]).errorCode).toBe('BADVERSION');
    expect(write(tree, [{ op: 'check', path: '/nope', version: -1 }]).errorCode).toBe('NONODE');
    const deleted = write(tree, [{ op: 'delete', path: '/a/b', version: 0 }]).tree;
    expect(deleted.nodes['/a/b']).toBeUndefined();
    expect(deleted.nodes['/a']?.stat).toMatchObject({ numChildren: 0, cversion: 2 });
  });

  it('gives an ephemeral znode its owner and no children', () => {
    const tree = write(emptyDataTree(), [create('/controller', { brokerid: 1 }, true)], 42).tree;
    expect(tree.nodes['/controller']?.stat.ephemeralOwner).toBe(42);
    expect(write(tree, [create('/controller/x')]).errorCode).toBe('NOCHILDRENFOREPHEMERALS');
  });

  it('applies a multi whole or not at all: OK before the failed op, its error, RUNTIMEINCONSISTENCY after', () => {
    const tree = write(emptyDataTree(), [create('/controller_epoch', 1)]).tree;
    // KafkaZkClient's fenced write: check the controller epoch's version, then write the partition state.
    const fenced = write(tree, [{ op: 'check', path: '/controller_epoch', version: 0 }, create('/state', 'x')]);
    expect(fenced.errorCode).toBe('OK');
    expect(fenced.tree.zxid).toBe(2);
    const stale = write(fenced.tree, [create('/other'), { op: 'check', path: '/controller_epoch', version: 5 }, create('/state2')]);
    expect(stale.errorCode).toBe('BADVERSION');
    expect(stale.results.map((r) => r.errorCode)).toEqual(['OK', 'BADVERSION', 'RUNTIMEINCONSISTENCY']);
    expect(stale.tree).toBe(fenced.tree);
    expect(stale.tree.nodes['/other']).toBeUndefined();
  });

  it('fires each watch once: exists on a missing node at its creation, getData at a change, getChildren at a new child', () => {
    let tree = write(emptyDataTree(), [create('/brokers')]).tree;
    tree = read(tree, 'exists', '/controller', { sessionId: 1 }).tree;
    tree = read(tree, 'getChildren', '/brokers', { sessionId: 2 }).tree;
    expect(read(tree, 'getData', '/missing', { sessionId: 3 }).tree).toBe(tree); // getData on a missing node sets none
    const created = write(tree, [create('/controller', 1, true), create('/brokers/1')]);
    expect(created.fired).toEqual([
      { sessionId: 1, event: 'NodeCreated', path: '/controller' },
      { sessionId: 2, event: 'NodeChildrenChanged', path: '/brokers' },
    ]);
    tree = created.tree;
    expect(write(tree, [create('/brokers/2')]).fired).toEqual([]); // one-shot: gone once fired
    tree = read(tree, 'getData', '/controller', { sessionId: 1 }).tree;
    expect(write(tree, [{ op: 'setData', path: '/controller', data: 2, version: -1 }]).fired).toEqual([{ sessionId: 1, event: 'NodeDataChanged', path: '/controller' }]);
  });

  it('tells a session that watched a deleted node once, and the parent child watchers', () => {
    let tree = write(emptyDataTree(), [create('/brokers'), create('/brokers/1')]).tree;
    tree = read(tree, 'getData', '/brokers/1', { sessionId: 5 }).tree;
    tree = read(tree, 'getChildren', '/brokers/1', { sessionId: 5 }).tree;
    tree = read(tree, 'getChildren', '/brokers', { sessionId: 6 }).tree;
    expect(write(tree, [{ op: 'delete', path: '/brokers/1', version: -1 }]).fired).toEqual([
      { sessionId: 5, event: 'NodeDeleted', path: '/brokers/1' },
      { sessionId: 6, event: 'NodeChildrenChanged', path: '/brokers' },
    ]);
  });
});
