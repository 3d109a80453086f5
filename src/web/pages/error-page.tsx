// 404, 400 and 500 pages: say what went wrong and where to go instead.
import type { ReactNode } from 'react';
import { ROLES } from '../../roles/catalog.ts';
import { RolePicker } from './compare-index.tsx';
import { Layout } from '../../ui/layout.tsx';

export interface ErrorPageProps {
  status: 404 | 400 | 500 | 503;
  heading: string;
  message: ReactNode;
  /** Show the role list and the pair picker (for unknown roles and pairs). */
  suggestRoles?: boolean;
}

export function ErrorPage({ status, heading, message, suggestRoles }: ErrorPageProps) {
  return (
    <Layout title={`${heading} (${status})`} description={heading}>
      <h1>{heading}</h1>
      <p className="lede">{message}</p>
      {suggestRoles ? (
        <>
          <h2 id="roles">Roles we track</h2>
          <ul>
            {ROLES.map((r) => (
              <li key={r.slug}>
                <a href={`/roles/${r.slug}`}>{r.name}</a> <span className="muted">({r.slug})</span>
              </li>
            ))}
          </ul>
          <h2 id="pick">Compare two of them</h2>
          <RolePicker />
        </>
      ) : null}
      <p>
        <a href="/">Back to the front page</a>
      </p>
    </Layout>
  );
}
