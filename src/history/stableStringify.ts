/**
 * JSON with object keys in sorted order, so the same value always gives the same text whatever order its
 * keys were written in. Undefined fields are left out (as JSON.stringify does); typed arrays become arrays;
 * values JSON cannot carry faithfully (NaN, Infinity, bigint, Map, Set, functions, symbols) throw, because
 * a trace that silently turned them into `null` or `{}` would hide a difference between two runs.
 */
export function stableStringify(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw notJsonSafe(path, String(value));
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return writeArray(value, path);
      if (ArrayBuffer.isView(value)) return writeArray(Array.from(value as Uint8Array), path);
      if (value instanceof Map || value instanceof Set) throw notJsonSafe(path, value.constructor.name);
      return writeObject(value as Record<string, unknown>, path);
    default:
      throw notJsonSafe(path, typeof value);
  }
}

function writeArray(items: readonly unknown[], path: string): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    const item = items[i];
    out += item === undefined ? 'null' : write(item, `${path}[${i}]`);
  }
  return out + ']';
}

function writeObject(object: Record<string, unknown>, path: string): string {
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = object[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + write(item, `${path}.${key}`);
  }
  return out + '}';
}

function notJsonSafe(path: string, what: string): TypeError {
  return new TypeError(`stableStringify: ${path} is ${what}, which JSON cannot carry; use plain JSON data`);
}
