// GET /: what the digest is, this week's figures, featured comparisons and
// the subscribe form.
import { comparePath } from '../../compare/canonical-pair.ts';
import { roleBySlug } from '../../roles/catalog.ts';
import { SubscribeForm } from '../../subscribers/pages.tsx';
import type { WeekStats } from '../../stats/types.ts';
import { METHOD } from '../../stats/method.ts';
import { TrendChart } from '../chart.tsx';
import { count, money, nLabel, remoteShare, share, weekLabel } from '../../stats/figures.ts';
import type { FeaturedPair } from '../landing-pairs.ts';
import { Layout, ScrollTable } from '../../ui/layout.tsx';
import { postingsWithPay } from './role-extras.tsx';

export interface LandingPageProps {
  week: WeekStats | undefined;
  /** Open positions of all roles per tracked week, oldest first. */
  totals: { week: string; total: number }[];
  featured: FeaturedPair[];
  publicUrl: string;
}

export function LandingPage({ week, totals, featured, publicUrl }: LandingPageProps) {
  const roles = week ? [...week.roles].sort((x, y) => y.positions - x.positions) : [];
  // Claims here rest on METHOD.smallSampleN postings or more, and say how many.
  const withPay = roles.filter((r) => r.median != null && r.disclosed >= METHOD.smallSampleN);
  const topPay = [...withPay].sort((x, y) => y.median! - x.median!)[0];
  const mostRemote = [...roles].filter((r) => r.positions >= METHOD.smallSampleN).sort((x, y) => (y.remotePct ?? 0) - (x.remotePct ?? 0))[0];
  const name = (slug: string) => roleBySlug(slug)?.name ?? slug;
  return (
    <Layout
      title="Track AI Salary Trends: a weekly digest of AI job pay and demand"
      description="Every week: open AI positions, advertised pay, remote share and skills per role, with role-vs-role comparisons."
      canonical={`${publicUrl}/`}
    >
      <h1>Track AI Salary Trends</h1>
      <p className="lede">
        Once a week we count the open AI job postings, work out what each role advertises in pay, how much of it is
        remote and which skills employers ask for, and send you the moves that matter, with comparisons you can
        open here.
      </p>
      <p>
        <a className="button" href="#subscribe">
          Get the weekly digest
        </a>{' '}
        or <a href="/issues">read past issues in the archive</a>
      </p>

      {week ? (
        <>
          <h2 id="this-week">This week in numbers</h2>
          <p className="muted">{weekLabel(week.week, week.start, week.end, week.tz)}, the latest snapshot.</p>
          <ul className="stats">
            <li>
              <b>{count(week.total)}</b> open AI positions
            </li>
            <li>
              <b>{roles.filter((r) => r.positions > 0).length}</b> roles tracked
            </li>
            {topPay ? (
              <li>
                <b>{money(topPay.median)}</b> highest median: {name(topPay.role)} ({nLabel(topPay.disclosed)})
              </li>
            ) : null}
            {mostRemote ? (
              <li>
                <b>{remoteShare(mostRemote)}</b> most remote: {name(mostRemote.role)} ({count(mostRemote.remote)} of{' '}
                {count(mostRemote.positions)} postings)
              </li>
            ) : null}
          </ul>

          {featured.length ? (
            <>
              <h2 id="featured">Comparisons worth a look</h2>
              <ul className="cards">
                {featured.map((f) => (
                  <li className="card" key={`${f.facts.a}/${f.facts.b}`}>
                    <p className="muted">{f.reason}</p>
                    <a href={comparePath(f.facts.a, f.facts.b)}>
                      {name(f.facts.a)} vs {name(f.facts.b)}
                    </a>
                    <p>{f.verdict}</p>
                  </li>
                ))}
              </ul>
              <p>
                <a href="/compare">Every comparison</a>
              </p>
            </>
          ) : null}

          <h2 id="trend">Open positions over the tracked weeks</h2>
          <TrendChart
            id="total-trend"
            title="Open AI positions tracked per week"
            weeks={totals.map((t) => t.week)}
            series={[{ label: 'Open positions', values: totals.map((t) => t.total) }]}
            format={count}
          />

          <h2 id="roles">Roles this week</h2>
          <ScrollTable label="Roles this week">
            <caption>Open positions and advertised pay by role</caption>
            <thead>
              <tr>
                <th scope="col">Role</th>
                <th scope="col" className="num">Open positions</th>
                <th scope="col" className="num">Share</th>
                <th scope="col" className="num">Median top of range</th>
                <th scope="col" className="num">Remote</th>
                <th scope="col" className="num">Postings with pay</th>
              </tr>
            </thead>
            <tbody>
              {roles.map((r) => (
                <tr key={r.role}>
                  <th scope="row">
                    <a href={`/roles/${r.role}`}>{name(r.role)}</a>
                  </th>
                  <td className="num" data-label="Open positions">{count(r.positions)}</td>
                  <td className="num" data-label="Share">{share(r.positions, week.total)}</td>
                  <td className="num" data-label="Median top of range">{money(r.median)}</td>
                  <td className="num" data-label="Remote">{remoteShare(r)}</td>
                  <td className="num" data-label="Postings with pay">{postingsWithPay(r.disclosed, r.median)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      ) : (
        <p id="roles">
          No weekly snapshot yet. Once postings are loaded and a week is snapshotted, its figures appear here.
        </p>
      )}

      <h2 id="subscribe">Get the digest</h2>
      <SubscribeForm>
        <p className="muted">
          We send one email to confirm the address and nothing else until you click it. One digest a week; every
          issue has a one-click unsubscribe link.
        </p>
      </SubscribeForm>
    </Layout>
  );
}
