// The one mail an unconfirmed address gets: a link that turns the request
// into a subscription. No unsubscribe link: nothing more is sent unless the
// reader clicks.
import { Section, Text } from '@react-email/components';
import { ButtonLink, Frame, listOf, styles } from './frame.tsx';

export interface ConfirmEmailProps {
  confirmUrl: string;
  /** Names of the roles the reader asked to follow; empty: all roles. */
  roles: string[];
  expiresInDays: number;
  /** The second and last mail before confirming: says so. */
  reminder?: boolean;
  siteUrl: string;
  postalAddress: string;
  /** A line above everything else, e.g. the demo-data notice. */
  notice?: string | undefined;
}

export const confirmSubject = 'Confirm your Salary Trends Digest subscription';
export const reminderSubject = 'Reminder: confirm your Salary Trends Digest subscription';

export function ConfirmEmail({ confirmUrl, roles, expiresInDays, reminder, siteUrl, postalAddress, notice }: ConfirmEmailProps) {
  const following = roles.length > 0 ? `the roles you picked (${listOf(roles)})` : 'every role we track';
  return (
    <Frame
      preview="One click and the weekly AI pay digest is on its way."
      siteUrl={siteUrl}
      postalAddress={postalAddress}
      notice={notice}
      reason="Someone, hopefully you, entered this address on our subscribe form. If it was not you, ignore this mail: without a click nothing else will arrive."
    >
      <Text style={styles.heading}>{reminder ? 'One more nudge: please confirm your address' : 'Please confirm your address'}</Text>
      <Text style={styles.text}>
        You asked for the weekly Salary Trends Digest: pay and demand for AI roles, compared week over week, with {following}{' '}
        shown first.
        {reminder ? ' This is the only reminder we send; without a click, nothing else arrives.' : ''}
      </Text>
      <Section style={{ margin: '8px 0 20px' }}>
        <ButtonLink href={confirmUrl}>Confirm my subscription</ButtonLink>
      </Section>
      <Text style={styles.small}>
        The button stops working after {expiresInDays} days. If it does not open, copy this address into your browser: {confirmUrl}
      </Text>
    </Frame>
  );
}

ConfirmEmail.PreviewProps = {
  confirmUrl: 'https://digest.example.com/confirm/preview-token',
  roles: ['MLOps Engineer', 'Data Scientist'],
  expiresInDays: 7,
  siteUrl: 'https://digest.example.com',
  postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield',
} satisfies ConfirmEmailProps;
