import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/scenario/runScenario.ts';
import { validateScenario } from '../../src/scenario/validateScenario.ts';

// Scenarios that property sweeps at other seeds found failing with no weakening (copied from the team's
// shared/regressions, with what went wrong in each). Each was a checker's or observer's false alarm; each must
// run valid. Their mechanisms have their own tests (GroupObserver.test.ts, committedOffsetsMonotonic.test.ts),
// since a change to the simulator's timing may move the race out of these exact files.
const dir = join(import.meta.dirname, '../fixtures/regressions');
const files = readdirSync(dir).filter((file) => file.endsWith('.json'));

describe('regression scenarios run valid', () => {
  it('has the scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s', (file) => {
    const scenario = validateScenario(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const result = runScenario(scenario);
    expect({ valid: result.valid, anomalies: result.checkers.anomalies }).toEqual({ valid: true, anomalies: {} });
  });
});
