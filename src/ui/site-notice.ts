// The site notice of one request (demo data, loading), set once by the app's
// middleware and read by whichever route renders a page, so pages mounted
// from other folders (subscriptions, archive) say the same as the site's own.
import type { Context } from 'hono';
import { NO_NOTICE, type SiteNotice } from './layout.tsx';

const KEY = 'siteNotice';
type Vars = { get(key: string): unknown; set(key: string, value: unknown): void };

export function setSiteNotice(c: Context, notice: SiteNotice): void {
  (c as unknown as Vars).set(KEY, notice);
}

export function siteNoticeOf(c: Context): SiteNotice {
  return ((c as unknown as Vars).get(KEY) as SiteNotice | undefined) ?? NO_NOTICE;
}
