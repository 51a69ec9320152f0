// Output paths are checked before a run starts, so that a long run never ends in a crash on its last write:
// a report or diagram goes to a regular file (existing or not) under a writable directory, an experiment's
// tables to a directory (existing or not).
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** An output path that cannot be written: the message names the option, the path and what is allowed. */
export class OutputPathError extends Error {
  override readonly name = 'OutputPathError';
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// The nearest existing ancestor must be a directory this process may write in (it creates the rest).
function checkAncestor(path: string, option: string, allowed: string): void {
  let dir = dirname(resolve(path));
  let stat = statOf(dir);
  while (stat === undefined && dirname(dir) !== dir) {
    dir = dirname(dir);
    stat = statOf(dir);
  }
  const fail = (why: string) => new OutputPathError(`${option}: got ${JSON.stringify(path)}, allowed: ${allowed} (${why})`);
  if (stat === undefined || !stat.isDirectory()) throw fail(`${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw fail(`${dir} is not writable`);
  }
}

/** A file a command will write (`--report`, `--mermaid`): a regular file or a new one, under a writable directory. */
export function checkOutputFile(path: string, option: string): void {
  checkOutput(path, option, 'a path to a regular file, new or writable', (stat) => (stat.isDirectory() ? 'it is a directory' : stat.isFile() ? null : 'it is a device, socket or pipe'));
}

/** A directory a command will write into (`--out`): an existing writable directory, or a new one it can create. */
export function checkOutputDir(path: string, option: string): void {
  checkOutput(path, option, 'a directory, existing and writable or new', (stat) => (stat.isDirectory() ? null : 'it is a file'));
}

// An existing path must be of the right kind (`wrongKind` says why not, or null) and writable; a new one needs a
// writable ancestor.
function checkOutput(path: string, option: string, allowed: string, wrongKind: (stat: Stats) => string | null): void {
  const stat = statOf(path);
  if (stat === undefined) return checkAncestor(path, option, allowed);
  const fail = (why: string) => new OutputPathError(`${option}: got ${JSON.stringify(path)}, allowed: ${allowed} (${why})`);
  const kind = wrongKind(stat);
  if (kind !== null) throw fail(kind);
  try {
    accessSync(path, constants.W_OK);
  } catch {
    throw fail('it is not writable');
  }
}
