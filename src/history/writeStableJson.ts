import type { JsonLineWriter } from './JsonLineWriter.ts';
import { stableStringify } from './stableStringify.ts';

/**
 * Writes `stableStringify(value)` into a JsonLineWriter without building the string: the trace serializes
 * every message it records, and most are small flat objects. Anything unusual (a value JSON cannot carry,
 * an object that is not plain) is handed to stableStringify, which writes it or throws its precise error.
 */
export function writeStableJson(out: JsonLineWriter, value: unknown): void {
  write(out, value, 0, value);
}

function write(out: JsonLineWriter, value: unknown, depth: number, root: unknown): void {
  switch (typeof value) {
    case 'string':
      out.stringLiteral(value);
      return;
    case 'number':
      if (Number.isFinite(value)) {
        out.uint(value);
        return;
      }
      break;
    case 'boolean':
      out.raw(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.raw('null');
        return;
      }
      if (depth < 64 && Array.isArray(value)) {
        writeArray(out, value, depth, root);
        return;
      }
      if (depth < 64 && Object.getPrototypeOf(value) === Object.prototype) {
        writeObject(out, value as Record<string, unknown>, depth, root);
        return;
      }
  }
  let text: string;
  try {
    text = stableStringify(value);
  } catch {
    // Throw the error for the whole value, so its path starts at the root ($.a.b rather than $).
    stableStringify(root);
    throw new Error('writeStableJson: stableStringify accepted a value it had refused');
  }
  out.text(text);
}

function writeArray(out: JsonLineWriter, items: readonly unknown[], depth: number, root: unknown): void {
  out.raw('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.raw(',');
    const item = items[i];
    if (item === undefined) out.raw('null');
    else write(out, item, depth + 1, root);
  }
  out.raw(']');
}

function writeObject(out: JsonLineWriter, object: Record<string, unknown>, depth: number, root: unknown): void {
  // Most objects have their keys in order already: check with for-in (no array), sort a copy only when not.
  let previous: string | undefined;
  for (const key in object) {
    if (previous !== undefined && previous > key) {
      writeFields(out, object, Object.keys(object).sort(), depth, root);
      return;
    }
    previous = key;
  }
  out.raw('{');
  let first = true;
  for (const key in object) first = writeField(out, key, object[key], first, depth, root);
  out.raw('}');
}

function writeFields(out: JsonLineWriter, object: Record<string, unknown>, keys: string[], depth: number, root: unknown): void {
  out.raw('{');
  let first = true;
  for (const key of keys) first = writeField(out, key, object[key], first, depth, root);
  out.raw('}');
}

// Writes one field unless its value is undefined; returns whether the next field is still the first.
function writeField(out: JsonLineWriter, key: string, item: unknown, first: boolean, depth: number, root: unknown): boolean {
  if (item === undefined) return first;
  if (!first) out.raw(',');
  out.string(key);
  out.raw(':');
  write(out, item, depth + 1, root);
  return false;
}
