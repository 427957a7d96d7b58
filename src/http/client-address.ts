// The client's address behind reverse proxies (F5, issue 21). Each proxy appends the address it received the request
// from to X-Forwarded-For; whatever stands to the left of those entries was written by the client and proves
// nothing. With N trusted proxies in front of the hub, the client is the N-th entry from the right.

/**
 * How many proxies in front of the hub append to X-Forwarded-For: PREAU_TRUSTED_PROXIES, or 1 for
 * PREAU_TRUST_PROXY.
 */
export function trustedProxyCount(env: Record<string, string | undefined>): number {
  const n = Number(env.PREAU_TRUSTED_PROXIES);
  if (env.PREAU_TRUSTED_PROXIES && Number.isInteger(n) && n >= 0 && n <= 10) return n;
  return env.PREAU_TRUST_PROXY === "true" ? 1 : 0;
}

/** An IPv4 or IPv6 address (with an optional IPv6 zone), nothing a log or an audit line should not hold. */
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:.]{2,45}(?:%[0-9A-Za-z]{1,16})?)$/;

/**
 * The address to count and record: the hop the outermost trusted proxy saw, or the socket's peer without proxies.
 * A header that is missing, too short or malformed falls back to the socket's peer (the nearest proxy).
 */
export function clientAddress(
  trustedProxies: number,
  forwardedFor: string | undefined,
  socketAddress: string | null,
): string | null {
  if (trustedProxies === 0 || !forwardedFor) return socketAddress;
  const hops = forwardedFor.split(",").map((h) => h.trim());
  // Entries written by trusted proxies are the last `trustedProxies`; the first of them is the client's address.
  const hop = hops[Math.max(0, hops.length - trustedProxies)];
  return hop && ADDRESS.test(hop) ? hop : socketAddress;
}
