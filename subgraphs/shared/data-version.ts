/**
 * Whether a data version (`origin/counter/…`, subgraphs/kit/data-version.ts) is older than
 * another: the same origin and a lower counter. Versions of different origins are not ordered (a
 * database restored or made anew starts another origin).
 */
export function isOlderVersion(version: string, than: string): boolean {
  const [origin, counter] = version.split('/');
  const [thanOrigin, thanCounter] = than.split('/');
  return origin === thanOrigin && /^\d+$/.test(counter ?? '') && /^\d+$/.test(thanCounter ?? '') && BigInt(counter) < BigInt(thanCounter);
}
