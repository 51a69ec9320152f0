// The command line's help: a short overview, and one page per command that lists the names its options take
// (properties, weakenings, experiments, the example scenarios), so that `kafka-sim <command> --help` is all a
// newcomer needs to try a command.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { groupPropertyNames, replicationPropertyNames } from '../../properties/replicationProperties.ts';
import { experimentNames } from '../experiments/experimentNames.ts';
import { kafkaProfileNames } from '../scenario/kafkaProfile.ts';
import { weakeningNames, weakenings } from '../scenario/weakenings.ts';

import { commandNames, type CommandName } from './commands.ts';

export { commandNames, isCommand, type CommandName } from './commands.ts';

const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');

// The example scenario files that ship with the package, by path from the project root.
function exampleFiles(): string[] {
  try {
    return readdirSync(EXAMPLES_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => `examples/${file}`);
  } catch {
    return [];
  }
}

const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`).join('\n');
const properties = () => [...replicationPropertyNames, ...groupPropertyNames];
const weakeningList = () => weakeningNames.map((name) => `${name.padEnd(44)} bug ${weakenings[name].bug.padEnd(6)} breaks ${weakenings[name].breaks}`);

/** The overview: what each command does, and where to read more. */
export function overview(): string {
  return `Usage: kafka-sim <command> [options]

Commands:
  run [FILE]          run a scenario file, or the embedded default scenario, and print its story
  replay CAPSULE      run a replay capsule again; exit 3 if its traceHash differs
  check               explore scenarios for properties with fast-check, shrink a failure to a capsule
  matrix              every weakening against its property, every property with none
  experiment NAME|all measure one of Kafka's textbook claims over seeds: a table and a plot
  kernel-demo         the simulation kernel alone: a ping/pong fixture under faults
  help [COMMAND]      this overview, or a command's options

Options of every command:
  -h, --help          show the command's help
  --version           print kafka-sim's version

Exit codes: 0 success; 1 a violation was found (or a run failed); 2 bad input or usage; 3 a replay whose
traceHash differs from the recorded one; 70 an internal error of kafka-sim (please report it).

kafka-sim <command> --help lists the command's options and the names they take.`;
}

/** One command's help page. */
export function commandHelp(command: CommandName): string {
  switch (command) {
    case 'run':
      return `Usage: kafka-sim run [FILE] [--seed S] [--kafka V] [--json] [--report OUT.html] [--mermaid OUT.md]

Runs a scenario file (or, without FILE, the embedded default scenario) through its safety, quiet and final-read
phases and prints its story: the timeline, sends and acknowledgements, every checker's verdict. A run that shows
a violation exits 1 and writes its replay capsule to reports/capsules/.

Options:
  --seed S        the run's seed, a number or a string (overrides the scenario's)
  --kafka V       the Kafka profile: ${kafkaProfileNames.join(', ')} (3.9-zookeeper: 3.9 in ZooKeeper mode) (overrides the scenario's; default 4.1)
  --json          print the result as one JSON object
  --report FILE   also write a self-contained HTML report of the run
  --mermaid FILE  also write a Mermaid sequence diagram of the messages around the failure

Example scenarios:
${indent(exampleFiles())}`;
    case 'replay':
      return `Usage: kafka-sim replay CAPSULE [--json] [--report OUT.html] [--mermaid OUT.md]

Runs a replay capsule (written by run, check or matrix) again, compares its traceHash and verdict with the recorded
ones, and prints the story. Exit 3 when the traceHash differs (the simulator changed since it was recorded).

Options:
  --json          print the result as one JSON object
  --report FILE   also write a self-contained HTML report of the run
  --mermaid FILE  also write a Mermaid sequence diagram of the messages around the failure`;
    case 'check':
      return `Usage: kafka-sim check [--property P|all] [--weaken W] [--runs N] [--seed S] [--kafka V] [--shutdowns]
                      [--max-shrinks N] [--workers N | --shard i/n | --merge FILE... | --from-run N] [--clients kafkajs] [--json]

Draws scenarios with fast-check and runs each against a property; the first failure is shrunk to a small
scenario, written as a replay capsule to reports/capsules/, and printed as a story. With --weaken the property
must fail: the weakening switches off one of Kafka's guards.

Options:
  --property P      a property, or all (default: the weakening's property, or all)
  --weaken W        a weakening to switch on
  --runs N          runs per property (default 100)
  --seed S          fast-check's seed, an integer (default 1)
  --kafka V         the Kafka profile: ${kafkaProfileNames.join(', ')} (3.9-zookeeper: 3.9 in ZooKeeper mode) (default 4.1)
  --shutdowns       draw clean shutdowns too (a broker's controlled shutdown and its restart, as in a rolling
                    restart; a consumer's close); off by default, as they change every run a seed draws
  --max-shrinks N   the most shrinking runs after a failure (default 400)
  --workers N       explore the runs on N worker threads (the same answer as one)
  --shard i/n       explore only every n-th run from run i (0 <= i < n); prints JSON lines, no shrinking
  --merge FILE...   merge the shards' JSON lines; prints the first failing run and how to shrink it
  --from-run N      replay run N (0-based) and shrink it
  --clients kafkajs the properties over unmodified kafkajs 2.2.4 clients (no-loss, ordering, single-owner,
                    group-at-least-once; one process: npm run sweep:kafkajs sweeps on several cores)
  --json            print the result as one JSON object

Properties:
${indent(properties())}

Weakenings:
${indent(weakeningList())}`;
    case 'matrix':
      return `Usage: kafka-sim matrix [--runs N] [--seed S] [--kafka V] [--max-shrinks N] [--full] [--json]

Checks every weakening against the property it must break (a rare one, missed by the runs, by its committed
counterexample) and every property with no weakening; prints a table. Exit 1 if a weakening was not caught or a
property failed without one.

Options:
  --runs N          runs per row (default 200)
  --seed S          fast-check's seed, an integer (default 1)
  --kafka V         the Kafka profile: ${kafkaProfileNames.join(', ')} (3.9-zookeeper: 3.9 in ZooKeeper mode) (default 4.1)
  --max-shrinks N   the most shrinking runs after a failure (default 400)
  --full            every weakening against every property, not only its own
  --json            print the result as one JSON object

Weakenings:
${indent(weakeningList())}`;
    case 'experiment':
      return `Usage: kafka-sim experiment NAME|all [--out DIR] [--seeds N] [--quick] [--json]

Measures one of Kafka's textbook claims over seeds 1..N and writes a table (Markdown, JSON) and an SVG plot.

Options:
  --out DIR    where to write the tables and plots (default reports/experiments)
  --seeds N    seeds to average over (default 10, or 2 with --quick)
  --quick      fewer and smaller runs, for a first look
  --json       print the results as one JSON object ({ "experiments": [...] })

Experiments:
${indent(experimentNames as string[])}`;
    case 'kernel-demo':
      return `Usage: kafka-sim kernel-demo [--seed S] [--ms N] [--json]

Runs the simulation kernel alone: a ping/pong fixture under crashes, pauses and a partition, and prints the
deliveries, the faults and the traceHash (the same seed gives the same hash).

Options:
  --seed S   the run's seed, a number or a string (default 1)
  --ms N     virtual milliseconds to run (default 10000, at most 86400000)
  --json     print the result as one JSON object`;
    case 'help':
      return `Usage: kafka-sim help [COMMAND]

Prints the overview, or the help of COMMAND (one of ${commandNames.filter((c) => c !== 'help').join(', ')}).`;
  }
}
