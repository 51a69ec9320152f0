import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The kafka-sim executable, as `npx kafka-sim` runs it. */
export const bin = fileURLToPath(new URL('../../bin/kafka-sim.js', import.meta.url));

/** Runs kafka-sim with `args` (in `cwd`, default the current directory): its exit status, stdout and stderr. */
export function runCli(args: readonly string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', ...(cwd === undefined ? {} : { cwd }) });
  return { status: out.status, stdout: out.stdout, stderr: out.stderr };
}
