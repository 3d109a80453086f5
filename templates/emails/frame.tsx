// The frame shared by the transactional mails (confirm, welcome, goodbye):
// preheader, a 600px column, the product name, and a footer with the postal
// address. Inline styles only: mail clients drop <style> blocks.
import type { ReactNode } from 'react';
import { Body, Container, Head, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';

export interface FrameProps {
  preview: string;
  siteUrl: string;
  postalAddress: string;
  /** Why the reader gets this mail, one sentence. */
  reason: string;
  children: ReactNode;
}

export const styles = {
  body: { backgroundColor: '#f3f4f6', margin: 0, padding: '24px 0', fontFamily: 'Arial, Helvetica, sans-serif' },
  container: { backgroundColor: '#ffffff', maxWidth: '600px', margin: '0 auto', padding: '24px 28px', borderRadius: '6px' },
  brand: { fontSize: '15px', fontWeight: 700, color: '#111827', margin: '0 0 16px' },
  heading: { fontSize: '22px', lineHeight: '28px', color: '#111827', margin: '0 0 12px', fontWeight: 700 },
  text: { fontSize: '16px', lineHeight: '24px', color: '#1f2937', margin: '0 0 14px' },
  button: {
    backgroundColor: '#1d4ed8',
    color: '#ffffff',
    fontSize: '16px',
    fontWeight: 700,
    textDecoration: 'none',
    borderRadius: '4px',
    padding: '12px 20px',
    display: 'inline-block',
  },
  small: { fontSize: '13px', lineHeight: '20px', color: '#4b5563', margin: '0 0 8px' },
  link: { color: '#1d4ed8' },
  hr: { borderColor: '#e5e7eb', margin: '24px 0 16px' },
} as const;

export function Frame({ preview, siteUrl, postalAddress, reason, children }: FrameProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>
            <Link href={siteUrl} style={{ color: '#111827', textDecoration: 'none' }}>
              Salary Trends Digest
            </Link>
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

/** "A", "A and B", "A, B and C". */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
