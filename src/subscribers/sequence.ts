// The mails a confirmed reader gets, as data: each step names a mail and how
// long after confirming it goes out. Today the sequence is the welcome alone;
// a later step is one more entry here (or in SubscriptionDeps.welcomeSequence),
// sent through the same transactional path with its own delay.
import type { DbClient } from '../db/database.ts';
import { queueMail, type MailSubscriber } from './outgoing.ts';
import type { SubscriptionDeps } from './deps.ts';

export interface SequenceStep {
  /** Which transactional mail (its template lives in templates/emails/). */
  mail: 'welcome';
  /** Seconds after the confirmation; 0 sends at once. */
  delaySeconds: number;
}

const WELCOME_SEQUENCE: readonly SequenceStep[] = [{ mail: 'welcome', delaySeconds: 0 }];

/** Queue every step in the caller's transaction; `key` (the confirmation's epoch) makes it once per confirmation. */
export async function queueSequence(client: DbClient, deps: SubscriptionDeps, sub: MailSubscriber, key: string): Promise<void> {
  const steps = deps.welcomeSequence ?? WELCOME_SEQUENCE;
  for (const [i, step] of steps.entries()) {
    await queueMail(client, deps, step.mail, sub, key, { step: i, delaySeconds: step.delaySeconds });
  }
}
