// The login limits' notion of a source: IPv4 as is, IPv6 by /64, X-Forwarded-For only behind trusted proxies.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientSource, sourceKey } from './client-source.ts';

describe('sourceKey', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(sourceKey('192.0.2.7')).toBe('192.0.2.7');
    expect(sourceKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  });

  it('groups IPv6 by its /64, however it is written', () => {
    const net = '2001:db8:0:1::/64';
    for (const a of ['2001:db8:0:1::1', '2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:DB8:0:1:a::b']) {
      expect(sourceKey(a), a).toBe(net);
    }
    expect(sourceKey('2001:db8:0:2::1')).not.toBe(net);
    expect(sourceKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('clientSource', () => {
  const sourceOf = async (trusted: number, headers: Record<string, string>, peer?: string) => {
    const app = new Hono();
    app.get('/', (c) => c.text(clientSource(c, trusted)));
    const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined;
    return (await app.request('/', { headers }, env)).text();
  };

  it('takes the connection, and ignores X-Forwarded-For without a trusted proxy', async () => {
    expect(await sourceOf(0, { 'x-forwarded-for': '10.0.0.1' }, '192.0.2.1')).toBe('192.0.2.1');
    expect(await sourceOf(0, {})).toBe('unknown');
  });

  it('behind n proxies, takes the entry n places from the right', async () => {
    const xff = { 'x-forwarded-for': 'forged, 198.51.100.4, 10.0.0.9' };
    expect(await sourceOf(1, xff, '10.0.0.10')).toBe('10.0.0.9');
    expect(await sourceOf(2, xff, '10.0.0.10')).toBe('198.51.100.4');
    expect(await sourceOf(1, {}, '10.0.0.10')).toBe('10.0.0.10');
  });
});
