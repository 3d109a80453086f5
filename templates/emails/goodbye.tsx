// Sent once, when a subscribed reader unsubscribes: it says the digest has
// stopped and how to come back. Nothing else follows it.
import { Text } from '@react-email/components';
import { Frame, styles } from './frame.tsx';

export interface GoodbyeEmailProps {
  /** The preferences page, where a reader can resubscribe or erase their data. */
  preferencesUrl: string;
  siteUrl: string;
  postalAddress: string;
  /** A line above everything else, e.g. the demo-data notice. */
  notice?: string | undefined;
}

export const goodbyeSubject = 'You have unsubscribed from the Salary Trends Digest';

export function GoodbyeEmail({ preferencesUrl, siteUrl, postalAddress, notice }: GoodbyeEmailProps) {
  return (
    <Frame
      preview="No more weekly digests will be sent to this address."
      siteUrl={siteUrl}
      postalAddress={postalAddress}
      notice={notice}
      reason="You get this one last mail because this address was just unsubscribed from the Salary Trends Digest."
    >
      <Text style={styles.heading}>You are unsubscribed</Text>
      <Text style={styles.text}>
        We have stopped the weekly digest for this address, starting with the next one. Thanks for reading.
      </Text>
      <Text style={styles.text}>
        If that was a slip, you can <a href={preferencesUrl} style={styles.link}>subscribe again</a> from your
        preferences page, where you can also download or erase what we keep about you.
      </Text>
    </Frame>
  );
}

GoodbyeEmail.PreviewProps = {
  preferencesUrl: 'https://digest.example.com/preferences/preview-token',
  siteUrl: 'https://digest.example.com',
  postalAddress: 'Salary Trends Digest, 1 Example Street, Springfield',
} satisfies GoodbyeEmailProps;

export default GoodbyeEmail;
