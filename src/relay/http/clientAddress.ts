/**
 * The address a request's per-client rate limit is keyed by. Behind a reverse proxy every request
 * comes from the proxy, so one busy client would throttle everyone; X-Forwarded-For names the real
 * client, but any client can write that header. So it counts only when the connection comes from a
 * proxy the operator listed, and then the client is the rightmost entry no listed proxy added
 * (entries further left were written by the client itself and prove nothing).
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  const direct = normalize(remote ?? '') || 'unknown';
  if (!forwardedFor || trustedProxies.length === 0) return direct;
  const trusted = new Set(trustedProxies.map(normalize));
  if (!trusted.has(direct)) return direct;
  const hops = forwardedFor.split(',').map((hop) => normalize(hop.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.has(hops[i]!)) return hops[i]!;
  }
  return hops[0] ?? direct;
}

/** IPv4 clients on a dual-stack socket show up as ::ffff:a.b.c.d; one client, one key. */
function normalize(address: string): string {
  return address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
}
