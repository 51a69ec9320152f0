/**
 * Java's `String#hashCode`: `s[0]*31^(n-1) + s[1]*31^(n-2) + ... + s[n-1]` over UTF-16 code units, wrapped to a
 * signed 32-bit integer. Kafka hashes group and transactional ids with it, not with murmur2.
 */
export function javaStringHashCode(s: string): number {
  let h = 0;
  // charCodeAt walks UTF-16 code units, as Java's char does: a character outside the BMP counts twice, once
  // per surrogate. Math.imul and `| 0` wrap every step to a signed 32-bit int, as Java's int arithmetic does.
  for (let i = 0; i < s.length; i++) {
    h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  }
  return h;
}
