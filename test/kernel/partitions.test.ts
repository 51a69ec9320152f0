import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/kernel/argumentError.ts';
import { compilePartition, type CutTest, type PartitionSpec } from '../../src/kernel/partitions.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'c1', 'c2'];
const known = new Set(nodes);

function compile(spec: PartitionSpec, knownIds: ReadonlySet<string> = known): CutTest {
  return compilePartition('test', spec, knownIds);
}

/** Every ordered pair of distinct nodes the cut test drops. */
function cutPairs(cut: CutTest, ids: readonly string[] = nodes): string[] {
  const out: string[] = [];
  for (const from of ids) for (const to of ids) if (from !== to && cut(from, to)) out.push(`${from}->${to}`);
  return out.sort();
}

/** The nodes `node` receives from under the cut, itself included. */
function hears(cut: CutTest, node: string, ids: readonly string[]): string[] {
  return ids.filter((from) => from === node || !cut(from, node));
}

describe('compilePartition', () => {
  describe('groups', () => {
    it('cuts exactly the pairs in different groups, both ways, and leaves unnamed nodes alone', () => {
      fc.assert(
        fc.property(
          fc.shuffledSubarray(nodes, { minLength: 2 }),
          fc.array(fc.nat(), { minLength: nodes.length, maxLength: nodes.length }),
          fc.integer({ min: 2, max: 4 }),
          (named, draws, groupCount) => {
            // Deal the named nodes into groupCount groups, each group getting at least one node.
            const groups: string[][] = Array.from({ length: Math.min(groupCount, named.length) }, () => []);
            named.forEach((node, i) => {
              const g = i < groups.length ? i : (draws[i] ?? 0) % groups.length;
              groups[g]?.push(node);
            });
            const groupOf = new Map<string, number>();
            groups.forEach((group, g) => group.forEach((node) => groupOf.set(node, g)));
            const cut = compile({ groups });
            const wrong: string[] = [];
            for (const from of nodes) {
              for (const to of nodes) {
                const a = groupOf.get(from);
                const b = groupOf.get(to);
                const expected = a !== undefined && b !== undefined && a !== b;
                if (cut(from, to) !== expected) wrong.push(`${from}->${to}`);
              }
            }
            expect(wrong).toEqual([]);
          },
        ),
        { numRuns: propertyRuns(100) },
      );
    });

    it('lets three groups talk only within themselves', () => {
      const cut = compile({ groups: [['n1', 'n2'], ['n3'], ['n4', 'n5']] });
      expect(cut('n1', 'n2')).toBe(false);
      expect(cut('n4', 'n5')).toBe(false);
      expect(cut('n1', 'n3')).toBe(true);
      expect(cut('n5', 'n1')).toBe(true);
      expect(cut('n3', 'n4')).toBe(true);
      expect(cut('c1', 'n1')).toBe(false);
      expect(cut('n3', 'c2')).toBe(false);
    });

    it('rejects an empty group, which would cut nothing', () => {
      expect(() => compile({ groups: [['n1', 'n2'], []] })).toThrow('partition.groups[1] must be a group of at least one node id, got []');
    });
  });

  describe('oneWay', () => {
    it('drops messages from `from` to `to` only, and leaves the way back and everyone else alone', () => {
      const cut = compile({ oneWay: { from: ['n1', 'n2'], to: ['n3'] } });
      expect(cutPairs(cut)).toEqual(['n1->n3', 'n2->n3']);
      expect(cut('n3', 'n1')).toBe(false);
      expect(cut('n1', 'n2')).toBe(false);
    });
  });

  describe('isolate', () => {
    it('cuts all traffic to and from the node and nothing else', () => {
      const cut = compile({ isolate: 'n2' });
      const expected = nodes.filter((n) => n !== 'n2').flatMap((n) => [`n2->${n}`, `${n}->n2`]);
      expect(cutPairs(cut)).toEqual(expected.sort());
      // A node still hears itself.
      expect(cut('n2', 'n2')).toBe(false);
    });
  });

  describe('majoritiesRing', () => {
    for (const size of [3, 4, 5, 6, 7]) {
      it(`gives each of ${size} nodes a majority to hear (counting itself), no two the same`, () => {
        const ring = Array.from({ length: size }, (_, i) => `r${i}`);
        const ids = [...ring, 'client'];
        const cut = compile({ majoritiesRing: ring }, new Set(ids));
        const majority = Math.floor(size / 2) + 1;
        const heard = ring.map((node) => hears(cut, node, ring));
        for (const [i, set] of heard.entries()) {
          expect(set).toContain(ring[i]);
          expect(set).toHaveLength(majority);
        }
        expect(new Set(heard.map((set) => set.join(','))).size).toBe(size);
        // Something is cut, and a node outside the ring is not affected.
        expect(cutPairs(cut, ring).length).toBeGreaterThan(0);
        for (const node of ring) {
          expect(cut('client', node)).toBe(false);
          expect(cut(node, 'client')).toBe(false);
        }
      });
    }

    it('follows the ring in the order given: with five nodes each hears its two neighbours', () => {
      const ring = ['n3', 'n1', 'n5', 'n2', 'n4'];
      const cut = compile({ majoritiesRing: ring });
      expect(hears(cut, 'n1', ring).sort()).toEqual(['n1', 'n3', 'n5']);
      expect(hears(cut, 'n4', ring).sort()).toEqual(['n2', 'n3', 'n4']);
    });

    it('cuts some links one way only when the majority is even (6 and 7 nodes), as Jepsen’s grudge does', () => {
      // Node i hears ring[i-2..i+1]: ring[i-2] reaches ring[i], but ring[i] does not reach ring[i-2].
      const ring = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      const cut = compile({ majoritiesRing: ring }, new Set(ring));
      expect(cut('r0', 'r2')).toBe(false);
      expect(cut('r2', 'r0')).toBe(true);
      const five = compile({ majoritiesRing: ring.slice(0, 5) }, new Set(ring));
      for (const a of ring.slice(0, 5)) for (const b of ring.slice(0, 5)) expect(five(a, b)).toBe(five(b, a));
    });

    it('holds for any ring order over 3 to 7 nodes', () => {
      fc.assert(
        fc.property(fc.shuffledSubarray(nodes, { minLength: 3 }), (ring) => {
          const cut = compile({ majoritiesRing: ring });
          const majority = Math.floor(ring.length / 2) + 1;
          const heard = ring.map((node) => hears(cut, node, ring).join(','));
          for (const set of heard) expect(set.split(',')).toHaveLength(majority);
          expect(new Set(heard).size).toBe(ring.length);
        }),
        { numRuns: propertyRuns(100) },
      );
    });
  });

  describe('errors', () => {
    function errorOf(spec: unknown): ArgumentError {
      try {
        compilePartition('world.partition', spec as PartitionSpec, known);
      } catch (err) {
        if (err instanceof ArgumentError) return err;
        throw err;
      }
      throw new Error('expected compilePartition to throw');
    }

    it('rejects a node named twice, within a group or across groups', () => {
      expect(errorOf({ groups: [['n1', 'n1'], ['n2']] }).message).toBe(
        'world.partition: partition.groups[0] must be a node named only once in the partition, got "n1"',
      );
      expect(errorOf({ groups: [['n1'], ['n2', 'n1']] }).message).toBe(
        'world.partition: partition.groups[1] must be a node named only once in the partition, got "n1"',
      );
      expect(errorOf({ oneWay: { from: ['n1'], to: ['n1'] } }).message).toBe(
        'world.partition: partition.oneWay.to must be a node named only once in the partition, got "n1"',
      );
      expect(errorOf({ majoritiesRing: ['n1', 'n2', 'n1'] }).message).toContain('partition.majoritiesRing must be a node named only once');
    });

    it('rejects an unknown node or a non-string id, listing the known ones', () => {
      const list = nodes.join(', ');
      expect(errorOf({ groups: [['n1'], ['zz']] }).message).toBe(`world.partition: partition.groups[1] must be a known node id (${list}), got "zz"`);
      expect(errorOf({ isolate: 'zz' }).message).toBe(`world.partition: partition.isolate must be a known node id (${list}), got "zz"`);
      expect(errorOf({ oneWay: { from: ['zz'], to: ['n1'] } }).message).toContain('partition.oneWay.from must be a known node id');
      expect(errorOf({ majoritiesRing: ['n1', 'n2', 7] }).message).toContain('partition.majoritiesRing must be a known node id');
      expect(errorOf({ groups: [['n1'], [null]] })).toMatchObject({ argument: 'partition.groups[1]', value: null });
    });

    it('rejects fewer than two groups, or groups that are not arrays', () => {
      expect(errorOf({ groups: [['n1', 'n2']] }).message).toBe(
        'world.partition: partition.groups must be an array of at least two arrays of node ids, got [["n1","n2"]]',
      );
      expect(errorOf({ groups: [] }).message).toContain('at least two arrays');
      expect(errorOf({ groups: ['n1', 'n2'] }).message).toContain('got ["n1","n2"]');
      expect(errorOf({ groups: 'n1' }).message).toContain('partition.groups must be');
    });

    it('rejects a majorities ring of fewer than three nodes', () => {
      expect(errorOf({ majoritiesRing: ['n1', 'n2'] }).message).toBe(
        'world.partition: partition.majoritiesRing must be an array of at least three node ids, got ["n1","n2"]',
      );
    });

    it('rejects a malformed spec: not an object, no mode, or two modes at once', () => {
      expect(errorOf(null).message).toContain('world.partition: partition must be groups (string[][]) or { groups | oneWay | isolate | majoritiesRing }, got null');
      expect(errorOf('n1').message).toContain('got "n1"');
      expect(errorOf({}).message).toBe(
        'world.partition: partition must be an object with exactly one of groups, oneWay, isolate, majoritiesRing, got {}',
      );
      expect(errorOf({ isolate: 'n1', groups: [['n1'], ['n2']] }).message).toContain('exactly one of');
      expect(errorOf({ oneWay: { from: 'n1', to: ['n2'] } }).message).toBe(
        'world.partition: partition.oneWay must be { from: string[], to: string[] }, got {"from":"n1","to":["n2"]}',
      );
      expect(errorOf({ oneWay: null }).message).toContain('partition.oneWay must be');
    });

    it('carries the call, argument, value and what is allowed as fields', () => {
      expect(errorOf({ isolate: 'zz' })).toMatchObject({
        name: 'ArgumentError',
        where: 'world.partition',
        argument: 'partition.isolate',
        value: 'zz',
      });
    });
  });
});
