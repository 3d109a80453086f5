// Sent once, when an address is confirmed: the latest issue's headline and
// the reader's roles' figures from it (or the week's movers), so the first
// mail is already useful; then what arrives and when, and the two links a
// reader needs (preferences, unsubscribe).
import { Section, Text } from '@react-email/components';
import { ButtonLink, Frame, listOf, styles } from './frame.tsx';

/** One role's line in the welcome (src/digest/welcome-figures.ts fills these from the latest issue). */
export interface WelcomeFigure {
  name: string;
  url: string;
  /** "Median $180K, +$12K (+7.1%) · 240 open positions, +12 (+5.3%)": the issue's strings. */
  line: string;
  /** The sample and what it supports, e.g. "within noise, n = 40 vs 38". */
  note: string;
}

/** What the welcome carries from the latest issue that went out. */
export interface WelcomeLatest {
  week: string;
  weekLabel: string;
  headline: string;
  issueUrl: string;
  /** `followed`: the reader's roles; `movers`: the week's movers, for a reader who follows every role. */
  kind: 'followed' | 'movers';
  figures: WelcomeFigure[];
}

export interface WelcomeEmailProps {
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** Names of the roles the reader follows; empty: all roles. */
  roles: string[];
  siteUrl: string;
  postalAddress: string;
  /** A line above everything else, e.g. the demo-data notice. */
  notice?: string | undefined;
  /** From the latest issue that went out; absent before the first issue. */
  latest?: WelcomeLatest | undefined;
}

export const welcomeSubject = 'You are subscribed to the Salary Trends Digest';

export function WelcomeEmail({ preferencesUrl, unsubscribeUrl, roles, siteUrl, postalAddress, notice, latest }: WelcomeEmailProps) {
  return (
    <Frame
      preview={latest ? `Last week in AI pay: ${latest.headline}` : 'Your first weekly digest arrives with the next snapshot.'}
      siteUrl={siteUrl}
      postalAddress={postalAddress}
      notice={notice}
      reason="You get this mail because you confirmed your subscription to the Salary Trends Digest."
    >
      <Text style={styles.heading}>Welcome aboard</Text>
      {latest ? <LatestIssue latest={latest} /> : null}
      <Text style={styles.text}>
        Your address is confirmed. Once a week, after we snapshot the open AI job postings, you get one digest: the pay moves
        that stand out from the noise, which roles gained or lost openings, and a few role-versus-role comparisons.
      </Text>
      <Text style={styles.text}>
        {roles.length > 0
          ? `You follow ${listOf(roles)}; those rows come first in every digest.`
          : 'You follow every role we track. You can narrow that down at any time.'}
      </Text>
      <Section style={{ margin: '8px 0 20px' }}>
        <ButtonLink href={preferencesUrl}>Choose my roles</ButtonLink>
      </Section>
      <Text style={styles.small}>
        Changed your mind? <a href={unsubscribeUrl} style={styles.link}>Unsubscribe</a> with one click.
      </Text>
    </Frame>
  );
}

function LatestIssue({ latest }: { latest: WelcomeLatest }) {
  return (
    <>
      <Text style={styles.text}>
        <b>The latest issue ({latest.weekLabel}):</b> {latest.headline}
      </Text>
      {latest.figures.length > 0 ? (
        <>
          <Text style={styles.text}>{latest.kind === 'followed' ? 'Your roles that week:' : 'What moved that week:'}</Text>
          {latest.figures.map((f) => (
            <Text key={f.url} style={styles.text}>
              <a href={f.url} style={styles.link}>{f.name}</a>: {f.line} <span style={{ color: '#4b5563', fontSize: '13px' }}>({f.note})</span>
            </Text>
          ))}
        </>
      ) : null}
      <Text style={styles.text}>
        <a href={latest.issueUrl} style={styles.link}>Read the whole issue</a>
      </Text>
    </>
  );
}

WelcomeEmail.PreviewProps = {
  preferencesUrl: 'https://digest.example.com/preferences/preview-token',
  unsubscribeUrl: 'https://digest.example.com/unsubscribe/preview-token',
  roles: ['MLOps Engineer', 'Data Scientist'],
  siteUrl: 'https://digest.example.com',
  postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield',
  latest: {
    week: '2026-W47',
    weekLabel: '16–22 Nov 2026',
    headline: 'Data Engineer median pay rose $17K (+10%) to $192K, and like for like up 10%: a move beyond week-to-week noise (n = 40 and 40 disclosed salaries).',
    issueUrl: 'https://digest.example.com/issues/2026-W47',
    kind: 'followed',
    figures: [
      { name: 'MLOps Engineer', url: 'https://digest.example.com/roles/mlops-engineer', line: 'Median $175K, +$9.9K (+6%) · 220 open positions, +4 (+1.9%)', note: 'beyond noise, like for like +6% (95% range +2% to +10%), n = 34 vs 30' },
      { name: 'Data Scientist', url: 'https://digest.example.com/roles/data-scientist', line: 'Median $160K, +$500 (+0.3%) · 420 open positions, +120 (+40%)', note: 'within noise, like for like ±0% (95% range −2% to +2%), n = 40 vs 40' },
    ],
  },
} satisfies WelcomeEmailProps;
