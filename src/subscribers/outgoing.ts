// Render a transactional mail for a subscriber and put it in the delivery
// ledger, inside the caller's transaction: the mail exists exactly when the
// state change that caused it committed.
import type { DbClient } from '../db/database.ts';
import { TOKEN_TTL, subscriberLinks } from './tokens.ts';
import { DEMO_NOTICE, demoLoaded } from '../demo/status.ts';
import { roleNames } from './roles.ts';
import { nowOf, type SubscriptionDeps } from './deps.ts';

export interface MailSubscriber {
  id: number;
  email: string;
  roles: string[];
}

type Kind = 'confirm' | 'reminder' | 'welcome';

/** `key` makes the mail unique (e.g. the epoch of the state change): the same key twice sends once. */
export async function queueMail(
  client: DbClient,
  deps: SubscriptionDeps,
  kind: Kind,
  sub: MailSubscriber,
  key: string,
  /** A step of a sequence after the first: its own key suffix and delay (sequence.ts). */
  opts: { step?: number; delaySeconds?: number } = {},
): Promise<number | null> {
  const links = subscriberLinks(deps.publicUrl, deps.secret, sub.id, nowOf(deps));
  const common = { siteUrl: deps.publicUrl, postalAddress: deps.postalAddress, notice: (await demoLoaded(client)) ? DEMO_NOTICE : undefined };
  // React Email is loaded on the first mail, not at start-up (it takes a second or more to load).
  const { renderMail } = await import('./mails.ts');
  let rendered;
  let headers: Record<string, string> = {};
  switch (kind) {
    case 'confirm':
    case 'reminder':
      rendered = await renderMail('confirm', {
        ...common,
        confirmUrl: links.confirmUrl,
        roles: roleNames(sub.roles),
        expiresInDays: Math.round((TOKEN_TTL.confirm ?? 0) / 86400),
        reminder: kind === 'reminder',
      });
      break;
    case 'welcome':
      rendered = await renderMail('welcome', {
        ...common,
        preferencesUrl: links.preferencesUrl,
        unsubscribeUrl: links.unsubscribeUrl,
        roles: roleNames(sub.roles),
        latest: deps.welcomeLatest ? await deps.welcomeLatest(client, sub.roles) : undefined,
      });
      headers = {
        'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      };
      break;
  }
  return deps.enqueueMail(client, {
    dedupeKey: `${kind}:${sub.id}:${key}${opts.step ? `:${opts.step}` : ''}`,
    kind,
    subscriberId: sub.id,
    to: sub.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    ...(opts.delaySeconds ? { delaySeconds: opts.delaySeconds } : {}),
  });
}
