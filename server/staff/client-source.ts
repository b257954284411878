// Who is knocking at the login: the client's network address, from the connection unless trusted proxies say so.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The address the TCP connection comes from; absent for in-process requests (app.request in tests, tools). */
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The client address that login limits count against. X-Forwarded-For is read only when `trustedProxies` proxies
 * are configured (SVAR_TRUSTED_PROXIES): each appends the address it saw, so the client is the entry that many
 * places from the right; anything further left was written by the client and could be anything.
 */
export function clientSource(c: Context, trustedProxies: number): string {
  let address = peerAddress(c);
  if (trustedProxies > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
    address = hops[Math.max(0, hops.length - trustedProxies)]?.slice(0, 100) ?? address;
  }
  return address ? sourceKey(address) : 'unknown';
}

/**
 * IPv4 as is; IPv6 by its /64 network, since one subscriber line usually holds a whole /64 and could otherwise
 * change address on every guess.
 */
export function sourceKey(address: string): string {
  const a = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
  if (!a.includes(':')) return a;
  const [head = '', tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
