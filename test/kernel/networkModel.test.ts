import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/kernel/Rng.ts';
import {
  defaultLinkConfig,
  drawLatency,
  planDelivery,
  resolveLinkConfig,
  type DeliveryPlan,
  type LinkConfig,
  type LinkOverride,
  type LinkState,
} from '../../src/kernel/networkModel.ts';
import { propertyRuns } from '../../properties/propertyRuns.ts';

function link(override: LinkOverride = {}, cut = false): LinkState {
  return { config: resolveLinkConfig(defaultLinkConfig, override), rng: new Rng('link'), cut, lastArrivalMs: 0, connection: 0, deadBelow: 0, broken: false, resetInFlight: false };
}

function newPlan(): DeliveryPlan {
  return { dropped: undefined, firstMs: 0, secondMs: undefined };
}

/** Plans one message per send time on one link, returning a copy of each plan. */
function planAll(state: LinkState, rng: Rng, sendTimesMs: readonly number[]): DeliveryPlan[] {
  const plan = newPlan();
  return sendTimesMs.map((now) => ({ ...planDelivery(state, rng, now, plan) }));
}

function isMicros(ms: number): boolean {
  return Math.round(ms * 1000) / 1000 === ms;
}

/** Increasing send times, as a clock would produce them (possibly several at one instant). */
const sendTimesArbitrary = fc
  .array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 1, maxLength: 60 })
  .map((gaps) => {
    let now = 0;
    return gaps.map((gap) => (now += Math.round(gap * 1000) / 1000));
  });

const uniformArbitrary = fc
  .tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }))
  .map(([minMs, span]) => ({ kind: 'uniform' as const, minMs, maxMs: minMs + span }));

function inversions(arrivals: readonly number[]): number {
  let count = 0;
  for (let i = 1; i < arrivals.length; i++) if ((arrivals[i] as number) < (arrivals[i - 1] as number)) count++;
  return count;
}

describe('planDelivery', () => {
  it('never plans an arrival before now, even when a zero latency is rounded from a floating-point now', () => {
    // 8008.737 + 2000 in floating point: the time a 2 s timer set at 8008.737 ms fires.
    const now = 8008.737 + 2000;
    expect(now).toBe(10008.737000000001);
    const plan = planDelivery(link({ latency: { kind: 'constant', ms: 0 } }), new Rng(1), now, newPlan());
    expect(plan.firstMs).toBeGreaterThanOrEqual(now);
  });

  it('keeps a link FIFO under random uniform latency: arrivals never decrease in send order', () => {
    fc.assert(
      fc.property(fc.integer(), uniformArbitrary, sendTimesArbitrary, (seed, latency, times) => {
        const plans = planAll(link({ latency }), new Rng(seed), times);
        const arrivals = plans.map((p) => p.firstMs);
        expect(inversions(arrivals)).toBe(0);
        plans.forEach((p, i) => {
          const sentAt = times[i] as number;
          expect(p.dropped).toBeUndefined();
          expect(p.secondMs).toBeUndefined();
          expect(p.firstMs).toBeGreaterThanOrEqual(sentAt + latency.minMs - 1e-9);
          expect(isMicros(p.firstMs)).toBe(true);
        });
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it('lets messages overtake each other when reorderProbability > 0 (some seed shows an inversion)', () => {
    const times = Array.from({ length: 30 }, (_, i) => i);
    const latency = { kind: 'uniform' as const, minMs: 1, maxMs: 20 };
    let seedWithInversion: number | undefined;
    for (let seed = 0; seed < 20 && seedWithInversion === undefined; seed++) {
      const arrivals = planAll(link({ latency, reorderProbability: 0.5 }), new Rng(seed), times).map((p) => p.firstMs);
      if (inversions(arrivals) > 0) seedWithInversion = seed;
    }
    expect(seedWithInversion).toBeDefined();
  });

  it('does not move the FIFO horizon for a message that skips FIFO order', () => {
    // With reorderProbability 1 no message is held back by the FIFO horizon: arrivals are just send + latency.
    const times = Array.from({ length: 40 }, (_, i) => i);
    const latency = { kind: 'uniform' as const, minMs: 1, maxMs: 20 };
    const state = link({ latency, reorderProbability: 1 });
    const arrivals = planAll(state, new Rng(3), times).map((p) => p.firstMs);
    expect(inversions(arrivals)).toBeGreaterThan(0);
    expect(state.lastArrivalMs).toBe(0);
  });

  it('drops every message with reason "loss" when dropProbability is 1', () => {
    fc.assert(
      fc.property(fc.integer(), sendTimesArbitrary, (seed, times) => {
        const plans = planAll(link({ dropProbability: 1 }), new Rng(seed), times);
        for (const p of plans) {
          expect(p.dropped).toBe('loss');
          expect(p.secondMs).toBeUndefined();
        }
      }),
      { numRuns: propertyRuns(50) },
    );
  });

  it('drops a message on a cut link with reason "partition", before rolling for loss', () => {
    const rng = new Rng(1);
    const twin = new Rng(1);
    const plan = planDelivery(link({ dropProbability: 0.5 }, true), rng, 10, newPlan());
    expect(plan).toEqual({ dropped: 'partition', firstMs: 10, secondMs: undefined });
    expect(rng.nextUint32()).toBe(twin.nextUint32());
  });

  it('duplicates every message when duplicateProbability is 1, the copy arriving no earlier', () => {
    fc.assert(
      fc.property(fc.integer(), uniformArbitrary, sendTimesArbitrary, (seed, latency, times) => {
        const plans = planAll(link({ latency, duplicateProbability: 1 }), new Rng(seed), times);
        for (const p of plans) {
          expect(p.secondMs).toBeDefined();
          expect(p.secondMs as number).toBeGreaterThanOrEqual(p.firstMs);
          expect(isMicros(p.secondMs as number)).toBe(true);
        }
        // The copies share the link's FIFO horizon, so originals still arrive in send order.
        expect(inversions(plans.map((p) => p.firstMs))).toBe(0);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('resets the plan object it is handed', () => {
    const plan = newPlan();
    const rng = new Rng(1);
    planDelivery(link({ duplicateProbability: 1 }), rng, 0, plan);
    expect(plan.secondMs).toBeDefined();
    planDelivery(link({}, true), rng, 5, plan);
    expect(plan).toEqual({ dropped: 'partition', firstMs: 5, secondMs: undefined });
    planDelivery(link({ latency: { kind: 'constant', ms: 2 } }), rng, 5, plan);
    expect(plan).toEqual({ dropped: undefined, firstMs: 7, secondMs: undefined });
  });

  it('draws nothing from the Rng for constant latency with every knob off or certain', () => {
    for (const override of [{}, { dropProbability: 0, duplicateProbability: 1, spike: { probability: 1, extraMs: 3 } }]) {
      const rng = new Rng('quiet');
      const twin = new Rng('quiet');
      planAll(link({ latency: { kind: 'constant', ms: 4 }, ...override }), rng, [0, 1, 2, 3]);
      expect(rng.nextUint32()).toBe(twin.nextUint32());
    }
  });

  it('adds a spike’s extraMs to the latency when the spike happens', () => {
    const spiky = planDelivery(link({ latency: { kind: 'constant', ms: 5 }, spike: { probability: 1, extraMs: 100 } }), new Rng(1), 10, newPlan());
    expect(spiky.firstMs).toBe(115);
    const calm = planDelivery(link({ latency: { kind: 'constant', ms: 5 }, spike: { probability: 0, extraMs: 100 } }), new Rng(1), 10, newPlan());
    expect(calm.firstMs).toBe(15);
    // With a 30% spike, about 30% of messages arrive 100 ms late.
    const rng = new Rng('spikes');
    let late = 0;
    const arrivals = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const state = link({ latency: { kind: 'constant', ms: 5 }, spike: { probability: 0.3, extraMs: 100 } });
      const p = planDelivery(state, rng, 0, newPlan());
      arrivals.add(p.firstMs);
      if (p.firstMs === 105) late++;
    }
    expect([...arrivals].sort((a, b) => a - b)).toEqual([5, 105]);
    expect(late).toBeGreaterThan(500);
    expect(late).toBeLessThan(700);
  });

  it('rounds arrival times to the microsecond even when send time and latency are not', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (seed, nowMs, constantMs, extraMs) => {
          const state = link({ latency: { kind: 'constant', ms: constantMs }, spike: { probability: 0.5, extraMs } });
          const p = planDelivery(state, new Rng(seed), nowMs, newPlan());
          expect(isMicros(p.firstMs)).toBe(true);
          // Within half a microsecond of send time + latency, or up to one microsecond late where rounding to the
          // nearest would land before now (a send time that is not on a whole microsecond, and no latency).
          expect(p.firstMs).toBeGreaterThanOrEqual(nowMs);
          expect(Math.abs(p.firstMs - (nowMs + constantMs))).toBeLessThanOrEqual(extraMs + 0.001 + 1e-6 * nowMs);
        },
      ),
      { numRuns: propertyRuns(200) },
    );
  });
});

describe('drawLatency', () => {
  it('returns a constant latency as is', () => {
    expect(drawLatency({ kind: 'constant', ms: 7.25 }, new Rng(1))).toBe(7.25);
  });

  it('keeps uniform draws within [minMs, maxMs], rounded to the microsecond', () => {
    fc.assert(
      fc.property(fc.integer(), uniformArbitrary, (seed, latency) => {
        const rng = new Rng(seed);
        const draws = Array.from({ length: 50 }, () => drawLatency(latency, rng));
        expect(draws.filter((ms) => ms < latency.minMs || ms > latency.maxMs || !isMicros(ms))).toEqual([]);
      }),
      { numRuns: propertyRuns(100) },
    );
  });

  it('spreads uniform draws over the whole range', () => {
    const rng = new Rng('spread');
    const draws = Array.from({ length: 2000 }, () => drawLatency({ kind: 'uniform', minMs: 10, maxMs: 20 }, rng));
    expect(Math.min(...draws)).toBeLessThan(10.1);
    expect(Math.max(...draws)).toBeGreaterThan(19.9);
  });

  it('keeps exponential draws at or above minMs with about the given mean above it', () => {
    const rng = new Rng('exp');
    const draws = Array.from({ length: 10_000 }, () => drawLatency({ kind: 'exponential', meanMs: 4, minMs: 1 }, rng));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1);
    expect(draws.filter((ms) => !isMicros(ms))).toEqual([]);
    const sum = draws.reduce((a, b) => a + b, 0);
    expect(sum / 10_000).toBeGreaterThan(4.8);
    expect(sum / 10_000).toBeLessThan(5.2);
    expect(drawLatency({ kind: 'exponential', meanMs: 3 }, rng)).toBeGreaterThanOrEqual(0);
  });
});

describe('resolveLinkConfig', () => {
  const base: LinkConfig = {
    latency: { kind: 'constant', ms: 1 },
    dropProbability: 0,
    duplicateProbability: 0,
    reorderProbability: 0,
  };

  it('returns the base itself when there is nothing to layer', () => {
    expect(resolveLinkConfig(base)).toBe(base);
    expect(resolveLinkConfig(base, undefined, undefined)).toBe(base);
  });

  it('layers overrides in order, later ones winning field by field, without touching the base', () => {
    const snapshot = structuredClone(base);
    const config = resolveLinkConfig(
      base,
      { dropProbability: 0.1, latency: { kind: 'uniform', minMs: 1, maxMs: 3 } },
      undefined,
      { dropProbability: 0.2, duplicateProbability: 0.3 },
    );
    expect(config).toEqual({
      latency: { kind: 'uniform', minMs: 1, maxMs: 3 },
      dropProbability: 0.2,
      duplicateProbability: 0.3,
      reorderProbability: 0,
    });
    expect(base).toEqual(snapshot);
  });

  it('skips fields set to undefined in an override instead of clearing them', () => {
    const config = resolveLinkConfig({ ...base, spike: { probability: 0.1, extraMs: 9 } }, { spike: undefined, dropProbability: undefined });
    expect(config.spike).toEqual({ probability: 0.1, extraMs: 9 });
    expect(config.dropProbability).toBe(0);
  });

  it('replaces the latency distribution as a whole, never merging two shapes', () => {
    const config = resolveLinkConfig(
      { ...base, latency: { kind: 'uniform', minMs: 1, maxMs: 5 } },
      { latency: { kind: 'exponential', meanMs: 4 } },
    );
    expect(config.latency).toEqual({ kind: 'exponential', meanMs: 4 });
  });

  it('starts from TCP-like defaults: uniform 1-5 ms, no loss, duplication or reordering', () => {
    expect(defaultLinkConfig).toEqual({
      latency: { kind: 'uniform', minMs: 1, maxMs: 5 },
      dropProbability: 0,
      duplicateProbability: 0,
      reorderProbability: 0,
    });
  });
});
