import { ArgumentError } from './argumentError.ts';

/**
 * A network partition, Jepsen-style. Nodes a partition does not name are not affected by it (clients keep
 * talking to everyone unless a partition names them).
 * - `groups`: symmetric; nodes in different groups cannot talk.
 * - `oneWay`: messages from any `from` node to any `to` node are dropped; the other direction passes.
 * - `isolate`: one node can neither send nor receive.
 * - `majoritiesRing`: every node hears a majority of `majoritiesRing`, no two the same majority (the ring is
 *   taken in the order given; shuffle it with the Rng for a random ring). As in Jepsen's grudges the cut is
 *   directional: with 6 or more nodes some pairs are cut one way only.
 */
export type PartitionSpec =
  | { groups: string[][] }
  | { oneWay: { from: string[]; to: string[] } }
  | { isolate: string }
  | { majoritiesRing: string[] };

/** Answers whether the current partition drops messages from `from` to `to`. */
export type CutTest = (from: string, to: string) => boolean;

/**
 * Validates a partition against the known node ids and compiles it into a cut test. Throws an
 * ArgumentError for a node named twice, an unknown node, or a malformed spec.
 */
export function compilePartition(where: string, spec: PartitionSpec, known: ReadonlySet<string>): CutTest {
  if (spec === null || typeof spec !== 'object') {
    throw new ArgumentError(where, 'partition', spec, 'groups (string[][]) or { groups | oneWay | isolate | majoritiesRing }');
  }
  const modes = ['groups', 'oneWay', 'isolate', 'majoritiesRing'].filter((m) => m in spec);
  if (modes.length !== 1) {
    throw new ArgumentError(where, 'partition', spec, 'an object with exactly one of groups, oneWay, isolate, majoritiesRing');
  }
  if ('groups' in spec) return compileGroups(where, spec.groups, known);
  if ('oneWay' in spec) return compileOneWay(where, spec.oneWay, known);
  if ('isolate' in spec) {
    checkNodes(where, 'partition.isolate', [spec.isolate], known, new Set());
    const node = spec.isolate;
    return (from, to) => from !== to && (from === node || to === node);
  }
  return compileMajoritiesRing(where, spec.majoritiesRing, known);
}

function compileGroups(where: string, groups: unknown, known: ReadonlySet<string>): CutTest {
  if (!Array.isArray(groups) || groups.length < 2 || !groups.every(Array.isArray)) {
    throw new ArgumentError(where, 'partition.groups', groups, 'an array of at least two arrays of node ids');
  }
  const groupOf = new Map<string, number>();
  groups.forEach((group: unknown[], g) => {
    if (group.length === 0) throw new ArgumentError(where, `partition.groups[${g}]`, group, 'a group of at least one node id');
    checkNodes(where, `partition.groups[${g}]`, group, known, groupOf);
    for (const node of group as string[]) groupOf.set(node, g);
  });
  return (from, to) => {
    const a = groupOf.get(from);
    const b = groupOf.get(to);
    return a !== undefined && b !== undefined && a !== b;
  };
}

function compileOneWay(where: string, oneWay: unknown, known: ReadonlySet<string>): CutTest {
  const spec = oneWay as { from?: unknown; to?: unknown };
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.from) || !Array.isArray(spec.to)) {
    throw new ArgumentError(where, 'partition.oneWay', oneWay, '{ from: string[], to: string[] }');
  }
  const seen = new Set<string>();
  checkNodes(where, 'partition.oneWay.from', spec.from, known, seen);
  for (const node of spec.from as string[]) seen.add(node);
  checkNodes(where, 'partition.oneWay.to', spec.to, known, seen);
  const from = new Set(spec.from as string[]);
  const to = new Set(spec.to as string[]);
  return (a, b) => from.has(a) && to.has(b);
}

function compileMajoritiesRing(where: string, ring: unknown, known: ReadonlySet<string>): CutTest {
  if (!Array.isArray(ring) || ring.length < 3) {
    throw new ArgumentError(where, 'partition.majoritiesRing', ring, 'an array of at least three node ids');
  }
  checkNodes(where, 'partition.majoritiesRing', ring, known, new Set());
  const nodes = ring as string[];
  const n = nodes.length;
  const majority = Math.floor(n / 2) + 1;
  // Window i is the majority ring[i..i+majority-1]; its middle node hears only that window (as Jepsen's
  // majorities-ring nemesis does). Each node is the middle of exactly one window, so all majorities differ.
  const hears = new Map<string, Set<string>>();
  for (let i = 0; i < n; i++) {
    const window = new Set<string>();
    for (let k = 0; k < majority; k++) window.add(nodes[(i + k) % n] as string);
    hears.set(nodes[(i + Math.floor(majority / 2)) % n] as string, window);
  }
  return (from, to) => {
    const heard = hears.get(to);
    return heard !== undefined && hears.has(from) && !heard.has(from);
  };
}

function checkNodes(where: string, argument: string, nodes: unknown[], known: ReadonlySet<string>, seen: { has(node: string): boolean }): void {
  const local = new Set<string>();
  for (const node of nodes) {
    if (typeof node !== 'string' || !known.has(node)) {
      throw new ArgumentError(where, argument, node, `a known node id (${[...known].join(', ')})`);
    }
    if (seen.has(node) || local.has(node)) {
      throw new ArgumentError(where, argument, node, 'a node named only once in the partition');
    }
    local.add(node);
  }
}
