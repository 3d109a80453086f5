// The subscription pages, server-rendered in the site's layout: subscribe
// answers, confirmation, unsubscribe (a button, never an automatic action),
// preferences. Everything from users goes through React, which escapes it.
import type { ReactNode } from 'react';
import { ROLES } from '../roles/catalog.ts';
import { Layout, renderDocument } from '../ui/layout.tsx';
import { roleNames } from './roles.ts';
import type { SubscriberView } from './preferences.ts';

export { renderDocument };

function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Layout title={`${title} · Salary Trends Digest`} description={title}>
      {children}
    </Layout>
  );
}

export const HONEYPOT_FIELD = 'website';

/** The subscribe form, with the landing page's field names (email, roles[]) and the honeypot. */
export function SubscribeForm({ email, roles, error, children }: { email?: string; roles?: readonly string[]; error?: string; children?: ReactNode }) {
  const picked = new Set(roles ?? []);
  return (
    <form className="subscribe" method="post" action="/subscribe" noValidate>
      <label htmlFor="email">Email address</label>
      {error ? (
        <p className="error" id="email-error" role="alert">
          {error}
        </p>
      ) : null}
      <input
        id="email"
        name="email"
        type="email"
        required
        autoComplete="email"
        defaultValue={email}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'email-error' : undefined}
      />
      <div hidden aria-hidden="true">
        <label htmlFor={HONEYPOT_FIELD}>Leave this field empty</label>
        <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" />
      </div>
      <fieldset>
        <legend>Roles to follow (optional)</legend>
        <div className="checks">
          {ROLES.map((r) => (
            <label key={r.slug}>
              <input type="checkbox" name="roles[]" value={r.slug} defaultChecked={picked.has(r.slug)} /> {r.name}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit">Subscribe</button>
      {children}
    </form>
  );
}

export function CheckInboxPage() {
  return (
    <Page title="Check your inbox">
      <h1>Check your inbox</h1>
      <p className="lede">
        If this address can receive the digest, a mail with a confirmation link is on its way. Click the link in it
        and the weekly digest starts; without a click, we send nothing else.
      </p>
      <p className="muted">Nothing arrived after a few minutes? Look in the spam folder, or try again later.</p>
      <p>
        <a href="/">Back to the front page</a>
      </p>
    </Page>
  );
}

export function SubscribeProblemPage({ message, email, roles }: { message: string; email: string; roles: readonly string[] }) {
  return (
    <Page title="Please check the form">
      <h1>Please check the form</h1>
      <SubscribeForm email={email} roles={roles} error={message} />
    </Page>
  );
}

export function TooManyRequestsPage({ retryAfterSeconds }: { retryAfterSeconds: number }) {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return (
    <Page title="Too many attempts">
      <h1>Too many attempts</h1>
      <p className="lede">
        We got several subscribe requests in a short time, so we are pausing for a while. Please try again in {minutes}{' '}
        {minutes === 1 ? 'minute' : 'minutes'}.
      </p>
    </Page>
  );
}

export function WelcomePage({ roles, preferencesUrl }: { roles: readonly string[]; preferencesUrl: string }) {
  return (
    <Page title="You are subscribed">
      <h1>You are subscribed</h1>
      <p className="lede">
        Your address is confirmed. The digest arrives once a week, after the week’s snapshot of open AI job postings.
      </p>
      <p id="following">
        {roles.length > 0
          ? `You follow ${roleNames(roles).join(', ')}; those rows come first.`
          : 'You follow every role we track.'}
      </p>
      <p>
        <a className="button" href={preferencesUrl}>
          Change my preferences
        </a>
      </p>
    </Page>
  );
}

export function ConfirmPromptPage({ action }: { action: string }) {
  return (
    <Page title="Confirm your subscription">
      <h1>Confirm your subscription</h1>
      <p className="lede">Press the button to start receiving the weekly digest at this address.</p>
      <form method="post" action={action}>
        <button type="submit">Confirm my subscription</button>
      </form>
    </Page>
  );
}

export function ConfirmExpiredPage({ email }: { email: string }) {
  return (
    <Page title="This link has expired">
      <h1>This confirmation link has expired</h1>
      <p className="lede">Confirmation links work for 7 days. We can send you a fresh one.</p>
      <form method="post" action="/subscribe">
        <input type="hidden" name="email" value={email} />
        <button type="submit">Send me a fresh link</button>
      </form>
    </Page>
  );
}

export function ConfirmLeftPage({ preferencesUrl }: { preferencesUrl: string }) {
  return (
    <Page title="You unsubscribed">
      <h1>This address has unsubscribed</h1>
      <p className="lede">
        An old confirmation link does not bring a subscription back. If you want the digest again, you can resubscribe
        from your preferences.
      </p>
      <p>
        <a className="button" href={preferencesUrl}>
          Open my preferences
        </a>
      </p>
    </Page>
  );
}

export function NoticePage({ title, message, offerSubscribe }: { title: string; message: string; offerSubscribe?: boolean }) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p className="lede">{message}</p>
      {offerSubscribe ? (
        <>
          <h2>Subscribe again</h2>
          <SubscribeForm />
        </>
      ) : (
        <p>
          <a href="/">Back to the front page</a>
        </p>
      )}
    </Page>
  );
}

/** GET /unsubscribe/:token: a button; opening the page changes nothing. */
export function UnsubscribePromptPage({ action }: { action: string }) {
  return (
    <Page title="Unsubscribe">
      <h1>Unsubscribe from the digest?</h1>
      <p className="lede">Press the button and we stop sending the weekly digest to this address, starting now.</p>
      <form method="post" action={action}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">Unsubscribe</button>
      </form>
    </Page>
  );
}

/** After unsubscribing; `already`: the link was used before, nothing changed now. */
export function UnsubscribedPage({ preferencesUrl, already }: { preferencesUrl: string | undefined; already?: boolean }) {
  const title = already ? 'You are already unsubscribed' : 'You are unsubscribed';
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <p className="lede">
        {already ? 'This address was unsubscribed before; no digests are sent to it.' : 'No more digests will be sent to this address. Thanks for reading.'}
      </p>
      {preferencesUrl ? (
        <p>
          Changed your mind? <a href={preferencesUrl}>Subscribe again from your preferences</a>, where you can also download
          or erase what we keep about you. (The public form does not re-subscribe an address that left: only you can, from here.)
        </p>
      ) : null}
      <p>
        To follow the digest at another address, <a href="/#subscribe">use the subscribe form</a>.
      </p>
    </Page>
  );
}

const STATUS_TEXT: Record<SubscriberView['status'], string> = {
  pending: 'Waiting for you to confirm the address.',
  active: 'Subscribed: you get the weekly digest.',
  unsubscribed: 'Unsubscribed: no digests are sent.',
  bounced: 'Paused: mail to this address bounced, so we stopped sending.',
  complained: 'Paused: a mail was marked as spam from this address, so we stopped sending.',
};

export function PreferencesPage({ subscriber, action, notice }: { subscriber: SubscriberView; action: string; notice?: string }) {
  const picked = new Set(subscriber.roles);
  return (
    <Page title="Your preferences">
      <h1>Your preferences</h1>
      {notice ? (
        <p className="verdict" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        Address: <b>{subscriber.email}</b>
      </p>
      <p id="status">{STATUS_TEXT[subscriber.status]}</p>

      <h2>Roles you follow</h2>
      <form method="post" action={action}>
        <input type="hidden" name="action" value="roles" />
        <fieldset>
          <legend>Rows for these roles come first (none ticked: all roles, in the usual order)</legend>
          <div className="checks">
            {ROLES.map((r) => (
              <label key={r.slug}>
                <input type="checkbox" name="roles[]" value={r.slug} defaultChecked={picked.has(r.slug)} /> {r.name}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit">Save my roles</button>
      </form>

      {subscriber.status === 'unsubscribed' ? (
        <>
          <h2>Get the digest again</h2>
          <form method="post" action={action}>
            <input type="hidden" name="action" value="resubscribe" />
            <button type="submit">Resubscribe</button>
          </form>
        </>
      ) : null}
      {subscriber.status === 'active' || subscriber.status === 'pending' ? (
        <>
          <h2>Stop the digest</h2>
          <form method="post" action={action}>
            <input type="hidden" name="action" value="unsubscribe" />
            <button type="submit">Unsubscribe</button>
          </form>
        </>
      ) : null}

      <h2>Your data</h2>
      <form method="post" action={action}>
        <input type="hidden" name="action" value="export" />
        <button type="submit">Download my data (JSON)</button>
      </form>
      <h3>Erase me</h3>
      <p>
        This removes your address and the record of what we sent you. Only anonymous counts remain. It cannot be
        undone.
      </p>
      <form method="post" action={action}>
        <input type="hidden" name="action" value="erase" />
        <p>
          <label>
            <input type="checkbox" name="confirm" value="yes" required /> Yes, erase my address and history
          </label>
        </p>
        <button type="submit">Erase my data</button>
      </form>
    </Page>
  );
}
