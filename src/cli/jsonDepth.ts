// How deeply a JSON text nests, found by one pass over its characters (no recursion, so a 100,000-deep array
// cannot overflow the stack the way a recursive validator would), and the reading of a JSON input file with that check.
import { readFileSync } from 'node:fs';

/** The deepest a scenario file or a capsule may nest: a scenario's deepest field is about six levels down. */
export const MAX_JSON_DEPTH = 64;

/** The maximum nesting of arrays and objects in `text` (0 for a scalar); strings are skipped, escapes included. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** A message when `text` nests deeper than MAX_JSON_DEPTH, else null. */
export function tooDeep(text: string, what: string): string | null {
  const depth = jsonDepth(text);
  return depth > MAX_JSON_DEPTH ? `${what} nests ${depth} levels deep, allowed: at most ${MAX_JSON_DEPTH} (a scenario's deepest field is about six levels down)` : null;
}

/**
 * Reads a JSON input file the command line was given (`what` names it: `scenario "x.json"`): its parsed value, or
 * `fail` with one line saying it cannot be read, nests too deeply, or is not JSON.
 */
export function readJsonInput(path: string, kind: 'scenario' | 'capsule', fail: (message: string) => Error): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fail(`cannot read ${kind} ${JSON.stringify(path)}: ${(err as Error).message}`);
  }
  const deep = tooDeep(text, `${kind} ${JSON.stringify(path)}`);
  if (deep !== null) throw fail(deep);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail(`${kind} ${JSON.stringify(path)} is not JSON: ${(err as Error).message}`);
  }
}
