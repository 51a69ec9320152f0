import { ArgumentError } from '../../kernel/argumentError.ts';

/** The versions of one API that a codec reads and writes, inclusive, as an ApiVersions response lists them. */
export interface VersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * Throws unless the codec handles `apiVersion`. A broker answers a version it does not support with
 * UNSUPPORTED_VERSION before it decodes anything, so reaching a codec with one is a bug in the caller.
 */
export function requireVersionIn(where: string, range: VersionRange, apiVersion: number): void {
  if (!Number.isInteger(apiVersion) || apiVersion < range.minVersion || apiVersion > range.maxVersion) {
    throw new ArgumentError(where, 'apiVersion', apiVersion, `an integer from ${range.minVersion} to ${range.maxVersion}`);
  }
}
