/**
 * JSON with object keys in sorted order, so the same value always gives the same text whatever order its
 * keys were written in. Undefined fields are left out (as JSON.stringify does); typed arrays become arrays;
 * values JSON cannot carry faithfully (NaN, Infinity, bigint, Map, Set, Date and other class instances,
 * functions, symbols, cycles) throw, naming where they are, because a trace that silently turned them into
 * `null` or `{}` would hide a difference between two runs.
 */
export function stableStringify(value: unknown): string {
  const text = write(value, 0);
  if (text === undefined) throw notJsonSafe(value);
  return text;
}

// Returns undefined for a value JSON cannot carry; the caller then looks for where it is (the slow path, so
// the fast path builds no path strings).
const MAX_DEPTH = 256;

function write(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? '' + value : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth > MAX_DEPTH) return undefined;
      if (Array.isArray(value)) return writeArray(value, depth);
      if (isTypedArray(value)) return writeArray(Array.from(value as Uint8Array), depth);
      if (!isPlainObject(value)) return undefined;
      return writeObject(value as Record<string, unknown>, depth);
    default:
      return undefined;
  }
}

function writeArray(items: readonly unknown[], depth: number): string | undefined {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const text = item === undefined ? 'null' : write(item, depth + 1);
    if (text === undefined) return undefined;
    out += i === 0 ? text : ',' + text;
  }
  return out + ']';
}

function writeObject(object: Record<string, unknown>, depth: number): string | undefined {
  const keys = Object.keys(object);
  // Most objects are written with their keys in order already (or have one key): sort only when not.
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    const text = write(item, depth + 1);
    if (text === undefined) return undefined;
    out += (out.length === 1 ? '"' : ',"') + (needsEscape(key) ? JSON.stringify(key).slice(1, -1) : key) + '":' + text;
  }
  return out + '}';
}

function isTypedArray(value: object): boolean {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const PLAIN_KEY = /^[\w$.:-]*$/;

function needsEscape(key: string): boolean {
  return !PLAIN_KEY.test(key);
}

function notJsonSafe(value: unknown): TypeError {
  const [path, what] = findUnsafe(value, '$', []) ?? ['$', typeof value];
  return new TypeError(`stableStringify: ${path} is ${what}, which JSON cannot carry; use plain JSON data`);
}

// The slow path: walks the value again to say where the unsafe part is.
function findUnsafe(value: unknown, path: string, ancestors: object[]): [string, string] | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [path, String(value)];
    case 'object': {
      if (value === null) return undefined;
      if (ancestors.includes(value)) return [path, 'a cycle back to an enclosing object'];
      if (ancestors.length > MAX_DEPTH) return [path, `nested deeper than ${MAX_DEPTH} levels`];
      let entries: Array<[string, unknown]>;
      if (Array.isArray(value) || isTypedArray(value)) {
        entries = Array.from(value as ArrayLike<unknown>, (v, i): [string, unknown] => [`${path}[${i}]`, v]);
      } else if (isPlainObject(value)) {
        entries = Object.entries(value).map(([k, v]): [string, unknown] => [`${path}.${k}`, v]);
      } else {
        return [path, value.constructor?.name ?? 'an object without a plain prototype'];
      }
      ancestors.push(value);
      for (const [childPath, child] of entries) {
        if (child === undefined) continue;
        const found = findUnsafe(child, childPath, ancestors);
        if (found !== undefined) return found;
      }
      ancestors.pop();
      return undefined;
    }
    default:
      return [path, typeof value];
  }
}
