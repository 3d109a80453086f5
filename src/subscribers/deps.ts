// What the subscription code needs from the rest of the service, declared
// once. src/server.ts (web) and src/cli.ts (import/export) build it.
import type { Db, DbClient } from '../db/database.ts';
import type { TransactionalMail } from '../delivery/enqueue.ts';
import type { SequenceStep } from './sequence.ts';
import type { WelcomeEmailProps } from '../../templates/emails/welcome.tsx';

export interface SubscribeLimits {
  /** Subscribe requests per client IP per window. */
  perIp: number;
  /** Subscribe requests per address per window. */
  perAddress: number;
  /** Window length in seconds (fixed windows, database time). */
  windowSeconds: number;
  /** Confirmation mails (first or reminder) to one mail domain per hour (`CONFIRM_MAILS_PER_DOMAIN`). */
  perDomainConfirmations: number;
}

const DEFAULT_LIMITS: SubscribeLimits = { perIp: 20, perAddress: 5, windowSeconds: 3600, perDomainConfirmations: 200 };

export interface SubscriptionDeps {
  pool: Db;
  /**
   * The latest issue's headline and the reader's roles' figures, for the
   * welcome mail. Production: `readWelcomeLatest` of src/digest/welcome-figures.ts
   * (passed in, so subscribers/ does not import digest/, which imports it).
   * Absent: the welcome carries no figures.
   */
  welcomeLatest?: (client: DbClient, roles: readonly string[]) => Promise<WelcomeEmailProps['latest']>;
  /**
   * Record a transactional mail inside the caller's transaction (the delivery
   * ledger); null when a mail with the same dedupe key exists. Production:
   * `(client, mail) => enqueueTransactional(client, boss, mail)`.
   */
  enqueueMail: (client: DbClient, mail: TransactionalMail) => Promise<number | null>;
  /**
   * Wake a worker for a queued subscribe request, inside the request's
   * transaction. Production: a pg-boss job (`QUEUES.subscribe`); without it
   * the request waits for a worker's scan of `subscribe_requests`.
   */
  wake?: (client: DbClient, requestId: number) => Promise<unknown>;
  /** Signs links; see dev-secret.ts for the local default. */
  secret: string;
  /** Absolute base URL of the site, no trailing slash. */
  publicUrl: string;
  postalAddress: string;
  limits?: Partial<SubscribeLimits>;
  /** The mails after confirming (default: the welcome alone, sequence.ts). */
  welcomeSequence?: readonly SequenceStep[];
  /** Clock for signing and checking tokens (database time is used for everything stored). */
  now?: () => Date;
}

export function limitsOf(deps: SubscriptionDeps): SubscribeLimits {
  return { ...DEFAULT_LIMITS, ...deps.limits };
}

export function nowOf(deps: SubscriptionDeps): Date {
  return deps.now ? deps.now() : new Date();
}
