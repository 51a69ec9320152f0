import { describe, expect, it } from 'vitest';
import { lostWrite } from '../../src/checker/lostWrite.ts';
import { TestHistory } from './TestHistory.ts';

describe('lostWrite', () => {
  it('flags acknowledged values below the highest offset read that no poll returned (lost-write-test "consistent")', () => {
    const h = new TestHistory();
    const sendA = h.sendOk('p0', 'x', 0, 'a');
    const sendB = h.sendOk('p0', 'x', 1, 'b');
    h.sendOk('p0', 'x', 3, 'd');
    h.sendInfo('p1', 'x', 'c');
    const poll = h.pollOk('p0', { x: [[2, 'c']] });
    expect(lostWrite(h.ops)).toEqual({
      checker: 'lost-write',
      valid: false,
      anomalies: { 'lost-write': 2 },
      examples: {
        'lost-write': [
          { key: 'x-0', value: 'a', offset: 0, maxReadOffset: 2, writerOp: sendA, maxReadOp: poll },
          { key: 'x-0', value: 'b', offset: 1, maxReadOffset: 2, writerOp: sendB, maxReadOp: poll },
        ],
      },
    });
  });

  it('flags a value overwritten at its offset by another (lost-write-test "inconsistent")', () => {
    // a and b both claim offset 0; the reader saw b there and then c. Jepsen reports max-read-index 1 (dense:
    // there is no offset 1); without transaction markers kafka-sim reports the offset, 2.
    const h = new TestHistory();
    const sendA = h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 0, 'b');
    h.sendOk('p0', 'x', 2, 'c');
    const poll = h.pollOk('p0', { x: [[0, 'b'], [2, 'c']] });
    expect(lostWrite(h.ops).examples['lost-write']).toEqual([
      { key: 'x-0', value: 'a', offset: 0, maxReadOffset: 2, writerOp: sendA, maxReadOp: poll },
    ]);
  });

  it('does not accuse an indefinite send placed only by a failed poll: nothing proves it took effect (lost-write-test "atomic")', () => {
    const h = new TestHistory();
    h.sendInfo('p0', 'y', 'b');
    h.sendInfo('p1', 'y', 'c');
    h.poll('p2', 'fail', { y: [[0, 'b']] });
    h.pollOk('p3', { y: [[1, 'c']] });
    expect(lostWrite(h.ops).valid).toBe(true);
  });

  it('accuses the same value once it was acknowledged', () => {
    const h = new TestHistory();
    const sendB = h.sendOk('p0', 'y', 0, 'b');
    h.sendInfo('p1', 'y', 'c');
    const poll = h.pollOk('p3', { y: [[1, 'c']] });
    expect(lostWrite(h.ops).examples['lost-write']).toEqual([
      { key: 'y-0', value: 'b', offset: 0, maxReadOffset: 1, writerOp: sendB, maxReadOp: poll },
    ]);
  });

  it('passes indefinite sends never seen, acknowledged sends above the highest read, and failed sends', () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.sendInfo('p0', 'x', 'never-seen');
    h.sendFail('p1', 'x', 'failed');
    h.sendOk('p0', 'x', 2, 'c');
    h.pollOk('p2', { x: [[0, 'a']] });
    // A failed send a failed poll saw at offset 1 is G1a's business, not a lost write.
    h.poll('p2', 'fail', { x: [[1, 'failed']] });
    expect(lostWrite(h.ops)).toEqual({ checker: 'lost-write', valid: true, anomalies: {}, examples: {} });
  });

  it('judges each key against its own highest read', () => {
    const h = new TestHistory();
    const lost = h.sendOk('p0', 'x', 0, 'a');
    h.sendOk('p0', 'x', 1, 'b');
    h.sendOk('p0', 'y', 0, 'c');
    h.sendOk('p0', 'y', 1, 'd');
    const poll = h.pollOk('p1', { x: [[1, 'b']], y: [[0, 'c']] });
    expect(lostWrite(h.ops).examples['lost-write']).toEqual([
      { key: 'x-0', value: 'a', offset: 0, maxReadOffset: 1, writerOp: lost, maxReadOp: poll },
    ]);
  });

  it("is 'unknown' when no ok poll returned anything", () => {
    const h = new TestHistory();
    h.sendOk('p0', 'x', 0, 'a');
    h.pollOk('p1', {});
    expect(lostWrite(h.ops).valid).toBe('unknown');
  });
});
