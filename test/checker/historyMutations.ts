// Ways to break a correct history, one per anomaly, for showing that each checker can fail. Each mutation
// copies the history, picks its target with `choice` among the candidates, and returns undefined when the
// history offers none.
import { keyOf, type History, type LogRecord, type Operation, type OperationOf } from '../../src/history/History.ts';

type OkSend = OperationOf<'send', 'ok'>;
type OkPoll = OperationOf<'poll', 'ok'>;

/** A mutation: a broken copy of the history, or undefined if it has nothing to break. */
export type Mutation = (history: History, choice: number) => Operation[] | undefined;

const copy = (history: History): Operation[] => structuredClone(history) as Operation[];
const okSends = (h: Operation[]): OkSend[] => h.filter((op): op is OkSend => op.f === 'send' && op.type === 'ok');
const okPolls = (h: Operation[]): OkPoll[] => h.filter((op): op is OkPoll => op.f === 'poll' && op.type === 'ok');
const pick = <T>(candidates: readonly T[], choice: number): T | undefined => candidates[choice % Math.max(1, candidates.length)];

function dropReadsOf(h: Operation[], value: string): void {
  for (const op of h) {
    if (op.f === 'poll' && op.type !== 'invoke' && op.value.records !== undefined) {
      op.value.records = op.value.records.filter((r) => r.value !== value);
    }
  }
}

/** lost-write: no poll returns an acknowledged value, though polls read past it. */
export const loseAWrite: Mutation = (history, choice) => {
  const h = copy(history);
  const maxRead = new Map<string, number>();
  for (const poll of okPolls(h)) for (const r of poll.value.records) maxRead.set(keyOf(r), Math.max(maxRead.get(keyOf(r)) ?? -1, r.offset));
  const send = pick(okSends(h).filter((s) => s.value.offset < (maxRead.get(keyOf(s.value)) ?? -1)), choice);
  if (send === undefined) return undefined;
  dropReadsOf(h, send.value.value);
  return h;
};

/** unseen: no poll returns some acknowledged value. */
export const hideAWrite: Mutation = (history, choice) => {
  const h = copy(history);
  const send = pick(okSends(h), choice);
  if (send === undefined) return undefined;
  dropReadsOf(h, send.value.value);
  return h;
};

/** duplicate: a polled value shows up again at another offset of its key. */
export const duplicateAValue: Mutation = (history, choice) => {
  const h = copy(history);
  const records = okPolls(h).flatMap((poll) => poll.value.records);
  const original = pick(records, choice);
  const other = records.find((r) => original !== undefined && keyOf(r) === keyOf(original) && r.offset !== original.offset);
  if (original === undefined || other === undefined) return undefined;
  other.value = original.value;
  return h;
};

/** inconsistent-offsets: a poll returns something else at an acknowledged offset. */
export const corruptARead: Mutation = (history, choice) => {
  const h = copy(history);
  const acked = new Set(okSends(h).map((s) => s.value.value));
  const record = pick(okPolls(h).flatMap((poll) => poll.value.records.filter((r) => acked.has(r.value))), choice);
  if (record === undefined) return undefined;
  record.value = `${record.value}-corrupt`;
  return h;
};

/** nonmonotonic-send: two successive acknowledged sends of a process to a key trade places in the log. */
export const reorderTwoSends: Mutation = (history, choice) => {
  const h = copy(history);
  const last = new Map<string, OkSend>();
  const pairs: Array<[OkSend, OkSend]> = [];
  for (const send of okSends(h)) {
    const slot = `${send.process} ${keyOf(send.value)}`;
    const previous = last.get(slot);
    if (previous !== undefined) pairs.push([previous, send]);
    last.set(slot, send);
  }
  const pair = pick(pairs, choice);
  if (pair === undefined) return undefined;
  const [first, second] = pair;
  const [a, b] = [first.value.value, second.value.value];
  [first.value.offset, second.value.offset] = [second.value.offset, first.value.offset];
  // Swap the values everywhere a poll read them, so the log stays consistent: only the order is wrong.
  for (const poll of h) {
    if (poll.f !== 'poll' || poll.type === 'invoke') continue;
    for (const r of poll.value.records ?? []) {
      if (r.value === a) r.value = b;
      else if (r.value === b) r.value = a;
    }
  }
  return h;
};

interface PollPair {
  key: string;
  previous: OkPoll;
  next: OkPoll;
}

/** Successive ok polls of one process, nothing of its own between, same membership, both reading `key`. */
function successivePolls(h: Operation[]): PollPair[] {
  const byProcess = new Map<string, Operation[]>();
  for (const op of h) {
    if (op.type === 'invoke') continue;
    const ops = byProcess.get(op.process) ?? [];
    ops.push(op);
    byProcess.set(op.process, ops);
  }
  const pairs: PollPair[] = [];
  for (const ops of byProcess.values()) {
    for (let i = 1; i < ops.length; i++) {
      const [previous, next] = [ops[i - 1], ops[i]];
      if (previous?.f !== 'poll' || previous.type !== 'ok' || next?.f !== 'poll' || next.type !== 'ok') continue;
      if (previous.value.memberId !== next.value.memberId || previous.value.generation !== next.value.generation) continue;
      const keys = new Set(previous.value.records.map(keyOf));
      for (const key of new Set(next.value.records.map(keyOf))) if (keys.has(key)) pairs.push({ key, previous, next });
    }
  }
  return pairs;
}

const recordsOf = (poll: OkPoll, key: string): LogRecord[] => poll.value.records.filter((r) => keyOf(r) === key);

/** nonmonotonic-poll: a process's next poll of a key starts by reading again where the previous one ended. */
export const rereadAcrossPolls: Mutation = (history, choice) => {
  const h = copy(history);
  const pair = pick(successivePolls(h), choice);
  if (pair === undefined) return undefined;
  const last = recordsOf(pair.previous, pair.key).at(-1);
  const at = pair.next.value.records.findIndex((r) => keyOf(r) === pair.key);
  if (last === undefined) return undefined;
  pair.next.value.records.splice(at, 0, { ...last });
  return h;
};

/** poll-skip: a process's next poll of a key starts one acknowledged record late. */
export const skipAcrossPolls: Mutation = (history, choice) => {
  const h = copy(history);
  const acked = new Set(okSends(h).map((s) => s.value.value));
  const candidates = successivePolls(h).filter(({ key, next }) => {
    const records = recordsOf(next, key);
    return records.length >= 2 && acked.has(records[0]?.value ?? '');
  });
  const pair = pick(candidates, choice);
  if (pair === undefined) return undefined;
  const first = recordsOf(pair.next, pair.key)[0];
  pair.next.value.records = pair.next.value.records.filter((r) => r !== first);
  return h;
};

/** int-poll-skip: a poll leaves out an acknowledged record between two it returns. */
export const skipWithinAPoll: Mutation = (history, choice) => {
  const h = copy(history);
  const acked = new Set(okSends(h).map((s) => s.value.value));
  const middles = okPolls(h).flatMap((poll) => {
    const records = poll.value.records;
    return records.flatMap((r, i) => {
      const [before, after] = [records[i - 1], records[i + 1]];
      const inside = before !== undefined && after !== undefined && keyOf(before) === keyOf(r) && keyOf(after) === keyOf(r);
      return inside && acked.has(r.value) ? [{ poll, r }] : [];
    });
  });
  const target = pick(middles, choice);
  if (target === undefined) return undefined;
  target.poll.value.records = target.poll.value.records.filter((r) => r !== target.r);
  return h;
};

/** int-nonmonotonic-poll: a poll returns two records of a key out of order. */
export const reorderWithinAPoll: Mutation = (history, choice) => {
  const h = copy(history);
  const adjacent = okPolls(h).flatMap((poll) => {
    const records = poll.value.records;
    return records.flatMap((r, i) => {
      const before = records[i - 1];
      return before !== undefined && keyOf(before) === keyOf(r) ? [{ poll, i }] : [];
    });
  });
  const target = pick(adjacent, choice);
  if (target === undefined) return undefined;
  const records = target.poll.value.records;
  const [a, b] = [records[target.i - 1], records[target.i]];
  if (a === undefined || b === undefined) return undefined;
  [records[target.i - 1], records[target.i]] = [b, a];
  return h;
};

/** G1a: a send some ok poll returned is reported as failed. */
export const failAReadWrite: Mutation = (history, choice) => {
  const h = copy(history);
  const read = new Set(okPolls(h).flatMap((poll) => poll.value.records.map((r) => r.value)));
  const send = pick(okSends(h).filter((s) => read.has(s.value.value)), choice);
  if (send === undefined) return undefined;
  const { topic, partition, key, value } = send.value;
  h[send.index] = { ...send, type: 'fail', value: { topic, partition, key, value } };
  return h;
};
