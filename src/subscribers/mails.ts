// The transactional mails (confirm and its reminder, welcome) rendered to subject, HTML and plain text
// with React Email. Templates live in templates/emails/; this file only picks
// one and renders it both ways.
import { createElement } from 'react';
import { render } from '@react-email/render';
import { ConfirmEmail, confirmSubject, reminderSubject, type ConfirmEmailProps } from '../../templates/emails/confirm.tsx';
import { WelcomeEmail, welcomeSubject, type WelcomeEmailProps } from '../../templates/emails/welcome.tsx';

export type TransactionalKind = 'confirm' | 'welcome';

export interface MailProps {
  confirm: ConfirmEmailProps;
  welcome: WelcomeEmailProps;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export async function renderMail<K extends TransactionalKind>(kind: K, props: MailProps[K]): Promise<RenderedMail> {
  const { element, subject } = pick(kind, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject, html, text };
}

function pick(kind: TransactionalKind, props: MailProps[TransactionalKind]) {
  switch (kind) {
    case 'confirm':
      return { subject: (props as ConfirmEmailProps).reminder ? reminderSubject : confirmSubject, element: createElement(ConfirmEmail, props as ConfirmEmailProps) };
    case 'welcome':
      return { subject: welcomeSubject, element: createElement(WelcomeEmail, props as WelcomeEmailProps) };
  }
}

export const PREVIEW_PROPS: MailProps = {
  confirm: ConfirmEmail.PreviewProps,
  welcome: WelcomeEmail.PreviewProps,
};
