// The subscription routes of the README's HTTP table, mounted on the site's
// Hono app: POST /subscribe (form or JSON), GET|POST /confirm/:token (GET
// only shows a button: link scanners follow GETs), GET|POST /unsubscribe/:token (GET only shows a button; POST is RFC 8058
// one-click and needs no cookie), GET|POST /preferences/:token.
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createElement as h, type ReactElement } from 'react';
import { siteNoticeOf } from '../ui/site-notice.ts';
import { subscribe } from './subscribe.ts';
import { confirmSubscription } from './confirm.ts';
import { unsubscribe, unsubscribeIssue, unsubscribeTarget } from './unsubscribe.ts';
import { eraseSubscriber, exportData, openPreferences, resubscribe, setRoles } from './preferences.ts';
import { parseRoles } from './roles.ts';
import { subscriberStatus } from './store.ts';
import { subscriberLinks } from './tokens.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';
import {
  CheckInboxPage,
  ConfirmExpiredPage,
  ConfirmLeftPage,
  ConfirmPromptPage,
  HONEYPOT_FIELD,
  NoticePage,
  PreferencesPage,
  SubscribeProblemPage,
  TooManyRequestsPage,
  UnsubscribedPage,
  UnsubscribePromptPage,
  WelcomePage,
  renderDocument,
} from './pages.tsx';

export interface SubscriptionRouteDeps extends SubscriptionDeps {
  /**
   * The client address for the per-IP limit. Default: the TCP peer from
   * @hono/node-server. Behind a reverse proxy, pass one that reads the
   * proxy's header (and only trust it from the proxy).
   */
  clientIp?: (c: Context) => string;
}

/** The one answer to an accepted subscribe request, whatever the address's state. */
export const SUBSCRIBE_ACCEPTED_MESSAGE =
  'If this address can receive the digest, a confirmation link is on its way. Nothing else is sent until it is clicked.';

type Status = 200 | 400 | 404 | 410 | 429;

function page(c: Context, status: Status, element: ReactElement, headers: Record<string, string> = {}): Response {
  return c.html(renderDocument(element, siteNoticeOf(c)), status, { 'cache-control': 'no-store', ...headers });
}

function peerAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

type Body = Record<string, string | File | (string | File)[]>;

async function readBody(c: Context): Promise<{ json: boolean; body: Record<string, unknown> } | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (/^application\/json\b/i.test(type)) {
    try {
      const value: unknown = await c.req.json();
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      return { json: true, body: value as Record<string, unknown> };
    } catch {
      return undefined;
    }
  }
  if (/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    const body: Body = await c.req.parseBody({ all: true });
    return { json: false, body };
  }
  return undefined;
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const rolesField = (body: Record<string, unknown>): unknown => {
  const v = body['roles[]'] ?? body.roles;
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
};

export function mountSubscriptionRoutes(app: Hono, deps: SubscriptionRouteDeps): void {
  const clientIp = deps.clientIp ?? peerAddress;
  const links = (id: number) => subscriberLinks(deps.publicUrl, deps.secret, id, nowOf(deps));
  // A subscribe form or a roles list is well under 16 KiB; refuse more before reading it.
  const limit = bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('Request body too large.', 413) });
  for (const path of ['/subscribe', '/confirm/:token', '/unsubscribe/:token', '/preferences/:token']) app.post(path, limit);

  app.post('/subscribe', async (c) => {
    const read = await readBody(c);
    if (!read) {
      return c.json({ error: 'Send the form, or JSON like {"email": "you@example.com", "roles": ["mlops-engineer"]}.' }, 415);
    }
    const { json, body } = read;
    const email = first(body.email);
    const roles = rolesField(body);
    const out = await subscribe(deps, { email, roles, honeypot: first(body[HONEYPOT_FIELD]), ip: clientIp(c) });
    switch (out.kind) {
      case 'accepted':
        return json
          ? c.json({ ok: true, message: SUBSCRIBE_ACCEPTED_MESSAGE }, 202, { 'cache-control': 'no-store' })
          : page(c, 200, h(CheckInboxPage));
      case 'invalid': {
        if (json) return c.json({ error: out.message, field: out.field }, 400);
        const shownRoles = parseRoles(roles);
        return page(
          c,
          400,
          h(SubscribeProblemPage, {
            message: out.message,
            email: typeof email === 'string' ? email.replace(/[\r\n]+/g, ' ').slice(0, 300) : '',
            roles: shownRoles.ok ? shownRoles.roles : [],
          }),
        );
      }
      case 'rate-limited': {
        const headers = { 'retry-after': String(out.retryAfterSeconds) };
        if (json) return c.json({ error: 'Too many subscribe requests; please try again later.' }, 429, headers);
        return page(c, 429, h(TooManyRequestsPage, { retryAfterSeconds: out.retryAfterSeconds }), headers);
      }
    }
  });

  const confirmRoute = (apply: boolean) => async (c: Context) => {
    const token = c.req.param('token')!;
    const out = await confirmSubscription(deps, token, { apply });
    switch (out.kind) {
      case 'ready':
        return page(c, 200, h(ConfirmPromptPage, { action: `/confirm/${token}` }));
      case 'confirmed':
        return page(c, 200, h(WelcomePage, { roles: out.roles, preferencesUrl: links(out.subscriberId).preferencesUrl }));
      case 'expired':
        return page(c, 410, h(ConfirmExpiredPage, { email: out.email }));
      case 'unsubscribed':
        return page(c, 200, h(ConfirmLeftPage, { preferencesUrl: links(out.subscriberId).preferencesUrl }));
      case 'suppressed':
        return page(
          c,
          200,
          h(NoticePage, {
            title: 'We cannot send to this address',
            message: 'Mail to this address bounced or was reported as spam, so we no longer write to it.',
          }),
        );
      case 'invalid':
        return page(c, 400, invalidLink('confirmation'));
    }
  };
  app.get('/confirm/:token', confirmRoute(false));
  app.post('/confirm/:token', confirmRoute(true));

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const id = unsubscribeTarget(deps, token);
    if (id === undefined) return page(c, 400, invalidLink('unsubscribe'));
    // A link used again: say so, with the way back in, rather than offer a button that changes nothing.
    if ((await subscriberStatus(deps.pool, id)) === 'unsubscribed') return page(c, 200, h(UnsubscribedPage, { preferencesUrl: links(id).preferencesUrl, already: true }));
    return page(c, 200, h(UnsubscribePromptPage, { action: `/unsubscribe/${token}` }));
  });

  app.post('/unsubscribe/:token', async (c) => {
    const id = unsubscribeTarget(deps, c.req.param('token'));
    if (id === undefined) return page(c, 400, invalidLink('unsubscribe'));
    const read = await readBody(c);
    // RFC 8058: the body is `List-Unsubscribe=One-Click`; our button sends the same.
    if (!read || first(read.body['List-Unsubscribe']) !== 'One-Click') {
      return c.text('Expected the form field List-Unsubscribe=One-Click.', 400);
    }
    const out = await unsubscribe(deps, id, unsubscribeIssue(deps, c.req.param('token')));
    if (out.kind === 'invalid') return page(c, 404, h(NoticePage, { title: 'Address not found', message: 'This address is no longer on our list.' }));
    return page(c, 200, h(UnsubscribedPage, { preferencesUrl: links(id).preferencesUrl, already: !out.changed }));
  });

  app.get('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const access = await openPreferences(deps, token);
    if (access.kind !== 'ok') return preferencesDenied(c, access.kind);
    return page(c, 200, h(PreferencesPage, { subscriber: access.subscriber, action: `/preferences/${token}` }));
  });

  app.post('/preferences/:token', async (c) => {
    const token = c.req.param('token');
    const access = await openPreferences(deps, token);
    if (access.kind !== 'ok') return preferencesDenied(c, access.kind);
    const id = access.subscriber.id;
    const read = await readBody(c);
    if (!read) return c.text('Send the preferences form.', 415);
    const action = first(read.body.action);
    const show = async (notice: string, status: Status = 200) => {
      const again = await openPreferences(deps, token);
      if (again.kind !== 'ok') return preferencesDenied(c, again.kind);
      return page(c, status, h(PreferencesPage, { subscriber: again.subscriber, action: `/preferences/${token}`, notice }));
    };
    switch (action) {
      case 'roles': {
        const roles = parseRoles(rolesField(read.body));
        if (!roles.ok) return show(roles.message, 400);
        await setRoles(deps.pool, id, roles.roles);
        return show(roles.roles.length > 0 ? 'Saved. Your roles come first in every digest.' : 'Saved. You follow every role.');
      }
      case 'resubscribe': {
        const ok = await resubscribe(deps.pool, id);
        return show(ok ? 'Welcome back: the digest starts again with the next issue.' : 'Nothing changed: this address cannot be resubscribed from here.');
      }
      case 'unsubscribe':
        await unsubscribe(deps, id);
        return show('You are unsubscribed. No more digests will be sent.');
      case 'export': {
        const data = await exportData(deps.pool, id);
        if (!data) return preferencesDenied(c, 'invalid');
        return c.body(JSON.stringify(data, null, 2), 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': 'attachment; filename="salary-trends-digest-my-data.json"',
          'cache-control': 'no-store',
        });
      }
      case 'erase': {
        if (first(read.body.confirm) !== 'yes') return show('Tick the box to confirm that you want your data erased.', 400);
        await eraseSubscriber(deps.pool, id);
        return page(
          c,
          200,
          h(NoticePage, {
            title: 'Your data is erased',
            message: 'We removed your address and the record of what we sent you. Only anonymous counts remain.',
          }),
        );
      }
      default:
        return show('Unknown action.', 400);
    }
  });
}

function invalidLink(what: string): ReactElement {
  return h(NoticePage, {
    title: 'This link does not work',
    message: `This ${what} link is not valid: it may be incomplete (some mail programs break long links), or the address was erased. You can subscribe again below.`,
    offerSubscribe: true,
  });
}

function preferencesDenied(c: Context, kind: 'expired' | 'invalid'): Response {
  return kind === 'expired'
    ? page(
        c,
        410,
        h(NoticePage, {
          title: 'This link has expired',
          message: 'Preferences links work for six months. Every digest carries a fresh one, and its unsubscribe link always works.',
        }),
      )
    : page(c, 400, invalidLink('preferences'));
}
