// The frame shared by the transactional mails (confirm, welcome):
// preheader, a 600px column, the product name, and a footer with the postal
// address. Inline styles only: mail clients drop <style> blocks.
//
// Kept to what Gmail, Outlook and Apple Mail all support (the caniemail lint
// in test/unit/email-lint.test.ts): the preheader is a visible top line, as in
// the digest, not React Email's <Preview> (display:none, opacity, overflow);
// links are plain <a> (React Email's <Link> and <Button> add target="_blank"
// and text-decoration-line); no border-radius.
import type { ReactNode } from 'react';
import { Body, Container, Head, Hr, Html, Section, Text } from '@react-email/components';

export interface FrameProps {
  preview: string;
  siteUrl: string;
  postalAddress: string;
  /** A line shown above everything else in the column (the demo-data notice), when set. */
  notice?: string | undefined;
  /** Why the reader gets this mail, one sentence. */
  reason: string;
  children: ReactNode;
}

export const styles = {
  body: { backgroundColor: '#f3f4f6', margin: 0, padding: '24px 0', fontFamily: 'Arial, Helvetica, sans-serif' },
  preheader: { fontSize: '12px', lineHeight: '16px', color: '#52606d', textAlign: 'center', margin: '0 auto 12px', padding: '0 24px' },
  container: { backgroundColor: '#ffffff', maxWidth: '600px', margin: '0 auto', padding: '24px 28px' },
  brand: { fontSize: '15px', fontWeight: 700, color: '#111827', margin: '0 0 16px' },
  heading: { fontSize: '22px', lineHeight: '28px', color: '#111827', margin: '0 0 12px', fontWeight: 700 },
  text: { fontSize: '16px', lineHeight: '24px', color: '#1f2937', margin: '0 0 14px' },
  /** The button's cell: Outlook on Windows ignores padding on <a>, so the cell carries the colour and mso-padding-alt. */
  buttonCell: { backgroundColor: '#1d4ed8', msoPaddingAlt: '12px 20px' },
  button: {
    backgroundColor: '#1d4ed8',
    color: '#ffffff',
    fontSize: '16px',
    lineHeight: '20px',
    fontWeight: 700,
    fontFamily: 'Arial, Helvetica, sans-serif',
    textDecoration: 'none',
    padding: '12px 20px',
    display: 'inline-block',
  },
  notice: { fontSize: '14px', lineHeight: '20px', fontWeight: 700, color: '#78350f', backgroundColor: '#fef3c7', padding: '8px 12px', margin: '0 0 16px' },
  small: { fontSize: '13px', lineHeight: '20px', color: '#4b5563', margin: '0 0 8px' },
  link: { color: '#1d4ed8' },
  hr: { borderColor: '#e5e7eb', margin: '24px 0 16px' },
} as const;

export function Frame({ preview, siteUrl, postalAddress, notice, reason, children }: FrameProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head />
      <Body style={styles.body}>
        {/* The preheader inbox lists show next to the subject; left out of the text part, which starts with the brand. */}
        <Text style={styles.preheader} data-skip-in-text="true">
          {preview}
        </Text>
        <Container style={styles.container}>
          {notice ? <Text style={styles.notice}>{notice}</Text> : null}
          <Text style={styles.brand}>
            <a href={siteUrl} style={{ color: '#111827', textDecoration: 'none' }}>
              Salary Trends Digest
            </a>
          </Text>
          <Section>{children}</Section>
          <Hr style={styles.hr} />
          <Text style={styles.small}>{reason}</Text>
          <Text style={styles.small}>{postalAddress}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** A call-to-action link drawn as a button: a one-cell table, so Outlook on Windows shows the colour and padding too. */
export function ButtonLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <table role="presentation" border={0} cellPadding={0} cellSpacing={0}>
      <tbody>
        <tr>
          <td style={styles.buttonCell}>
            <a href={href} style={styles.button}>
              {children}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
