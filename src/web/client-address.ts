// The client's address for per-IP limits. By default the TCP peer; behind a
// reverse proxy (`TRUST_PROXY`) the address the trusted proxies put in
// X-Forwarded-For, read right to left by proxy-addr (Express's parser) so that
// a client cannot name itself by sending the header: only hops we trust are
// skipped. Configuration: a hop count, or a list of proxy addresses/CIDRs.
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import type { IncomingMessage } from 'node:http';
import type { TrustProxy } from '../config.ts';

export type { TrustProxy };

/** Throws a TypeError naming the bad entry. */
function compileTrust(trust: TrustProxy): (addr: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

export function clientAddress(trust: TrustProxy): (c: Context) => string {
  const trusted = compileTrust(trust);
  return (c) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const peer = incoming?.socket?.remoteAddress;
    if (!incoming || !peer) return 'unknown';
    if (trust === false) return peer;
    // proxy-addr reads `socket.remoteAddress` and `headers['x-forwarded-for']`.
    return proxyaddr({ socket: { remoteAddress: peer }, headers: incoming.headers ?? {} } as unknown as IncomingMessage, trusted);
  };
}
