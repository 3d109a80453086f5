// The site before the service behind it is built: on a fresh clone the
// embedded database takes seconds to create (PGlite's initdb, in WebAssembly),
// so `npm start` listens at once and answers every request with a "starting"
// page (503, Retry-After) that says what it is doing, until `attach` hands
// the requests to the real app. See docs/startup.md.
import { Hono } from 'hono';
import { createElement as h } from 'react';
import { DEMO_NOTICE } from '../demo/status.ts';
import { ErrorPage } from './pages/error-page.tsx';
import { renderDocument } from '../ui/layout.tsx';
import { securityHeaders } from './respond.ts';
import { startServer, type RunningServer } from './serve.ts';

export interface EarlyFront extends RunningServer {
  /** From now on every request goes to `app`. */
  attach(app: Hono): void;
}

export async function startEarlyFront(port: number, status: () => string, opts: { https: boolean }): Promise<EarlyFront> {
  let real: Hono | undefined;
  const front = new Hono();
  // The starting page gets the site's headers too (the real app's routes set them again, to the same values).
  front.use('*', securityHeaders(opts));
  front.all('*', (c) => {
    if (real) return real.fetch(c.req.raw, c.env);
    const headers = { 'retry-after': '5', 'cache-control': 'no-store' };
    if (c.req.path === '/healthz') return c.json({ ok: false, starting: true, status: status() }, 503, headers);
    const html = renderDocument(
      h(ErrorPage, { status: 503, heading: 'Starting up', message: `${status()} This page fills in by itself in a minute; please reload it then.` }),
      { demo: DEMO_NOTICE, loading: status() },
    );
    return c.html(html, 503, headers);
  });
  const server = await startServer(front, port);
  return {
    ...server,
    attach(app) {
      real = app;
    },
  };
}
