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
