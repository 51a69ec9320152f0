// The wall-clock progress of `kafka-sim check` on a terminal (stderr), with cli-progress. Not simulation code:
// it only counts runs as they finish.
import cliProgress from 'cli-progress';

/** A progress display for one property at a time: runs explored (shrinking runs count past the budget). */
export function progressBar(): { start(property: string, runs: number): void; run(): void; stop(): void } {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let total = 0;
  return {
    start(property, runs) {
      done = 0;
      total = runs;
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${property.padEnd(20)} [{bar}] {value}/{total} runs | {eta_formatted} left`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(runs, 0);
    },
    run() {
      done++;
      // Past the budget fast-check is shrinking a failure: the total grows with it.
      if (done > total) bar?.setTotal((total = done));
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/**
 * The progress of one `kafka-sim run` on a terminal (stderr): virtual seconds reached of at most `plannedMs`, with
 * an estimate; redrawn at most every 200 wall-clock ms.
 */
export function runProgressBar(plannedMs: number, wallClockMs: () => number): { update(virtualMs: number): void; stop(): void } {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'virtual time [{bar}] {value}/{total} s | {eta_formatted} left', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.ceil(plannedMs / 1000), 0);
  let drawnAt = wallClockMs();
  return {
    update(virtualMs) {
      const now = wallClockMs();
      if (now - drawnAt < 200) return;
      drawnAt = now;
      bar.update(Math.min(Math.floor(virtualMs / 1000), bar.getTotal()));
    },
    stop() {
      bar.stop();
    },
  };
}
