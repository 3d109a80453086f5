// Sent once, when an address is confirmed: what arrives and when, and the two
// links a reader needs (preferences, unsubscribe).
import { Section, Text } from '@react-email/components';
import { ButtonLink, Frame, listOf, styles } from './frame.tsx';

export interface WelcomeEmailProps {
  preferencesUrl: string;
  unsubscribeUrl: string;
  /** Names of the roles the reader follows; empty: all roles. */
  roles: string[];
  siteUrl: string;
  postalAddress: string;
  /** A line above everything else, e.g. the demo-data notice. */
  notice?: string | undefined;
}

export const welcomeSubject = 'You are subscribed to the Salary Trends Digest';

export function WelcomeEmail({ preferencesUrl, unsubscribeUrl, roles, siteUrl, postalAddress, notice }: WelcomeEmailProps) {
  return (
    <Frame
      preview="Your first weekly digest arrives with the next snapshot."
      siteUrl={siteUrl}
      postalAddress={postalAddress}
      notice={notice}
      reason="You get this mail because you confirmed your subscription to the Salary Trends Digest."
    >
      <Text style={styles.heading}>Welcome aboard</Text>
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

WelcomeEmail.PreviewProps = {
  preferencesUrl: 'https://digest.example.com/preferences/preview-token',
  unsubscribeUrl: 'https://digest.example.com/unsubscribe/preview-token',
  roles: ['MLOps Engineer', 'Data Scientist'],
  siteUrl: 'https://digest.example.com',
  postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield',
} satisfies WelcomeEmailProps;

export default WelcomeEmail;
