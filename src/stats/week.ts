// ISO-8601 weeks in a configured time zone. A week runs from Monday 00:00 to
// the next Monday 00:00 local time; its key is `2026-W48`. Pure: the clock is
// passed in.

export type WeekKey = string;

export interface WeekRange {
  key: WeekKey;
  /** First instant of the week (inclusive). */
  start: Date;
  /** First instant of the next week (exclusive). */
  end: Date;
}

const KEY = /^(\d{4})-W(\d{2})$/;

export function isWeekKey(s: string): boolean {
  const m = KEY.exec(s);
  if (!m) return false;
  const week = Number(m[2]);
  return week >= 1 && week <= isoWeeksInYear(Number(m[1]));
}

export function parseWeekKey(s: string): { year: number; week: number } {
  const m = KEY.exec(s);
  if (!m || !isWeekKey(s)) throw new RangeError(`not an ISO week: ${JSON.stringify(s)} (expected e.g. 2026-W47)`);
  return { year: Number(m[1]), week: Number(m[2]) };
}

function formatKey(year: number, week: number): WeekKey {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

function isoWeeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  return isoWeekOfCivilDate(year, 12, 28).week;
}

/** ISO week of a civil (calendar) date, independent of any zone. */
function isoWeekOfCivilDate(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dow = d.getUTCDay() || 7; // Monday=1 .. Sunday=7
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const isoYear = d.getUTCFullYear();
  const jan1 = Date.UTC(isoYear, 0, 1);
  const week = Math.floor((d.getTime() - jan1) / 86_400_000 / 7) + 1;
  return { year: isoYear, week };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function civilParts(instant: Date, tz: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** Offset of `tz` from UTC at `instant`, in milliseconds (local = utc + offset). */
function offsetAt(instant: Date, tz: string): number {
  const p = civilParts(instant, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which local midnight of a civil date begins in `tz`. */
function localMidnight(year: number, month: number, day: number, tz: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  // Two refinements settle the offset, also across a DST change.
  let t = guess - offsetAt(new Date(guess), tz);
  t = guess - offsetAt(new Date(t), tz);
  return new Date(t);
}

export function weekKeyOf(instant: Date, tz = 'UTC'): WeekKey {
  const p = civilParts(instant, tz);
  const w = isoWeekOfCivilDate(p.year, p.month, p.day);
  return formatKey(w.year, w.week);
}

/** Civil date (y, m, d) of the Monday of an ISO week. */
function mondayOf(year: number, week: number): { y: number; m: number; d: number } {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  const monday = new Date(jan4.getTime() + ((week - 1) * 7 - (dow - 1)) * 86_400_000);
  return { y: monday.getUTCFullYear(), m: monday.getUTCMonth() + 1, d: monday.getUTCDate() };
}

export function weekRange(key: WeekKey, tz = 'UTC'): WeekRange {
  const { year, week } = parseWeekKey(key);
  const mon = mondayOf(year, week);
  const next = mondayOf(...nextWeekParts(year, week));
  return { key, start: localMidnight(mon.y, mon.m, mon.d, tz), end: localMidnight(next.y, next.m, next.d, tz) };
}

function nextWeekParts(year: number, week: number): [number, number] {
  return week < isoWeeksInYear(year) ? [year, week + 1] : [year + 1, 1];
}

export function addWeeks(key: WeekKey, n: number): WeekKey {
  let { year, week } = parseWeekKey(key);
  if (n >= 0) {
    for (let i = 0; i < n; i++) [year, week] = nextWeekParts(year, week);
  } else {
    for (let i = 0; i < -n; i++) {
      if (week > 1) week -= 1;
      else {
        year -= 1;
        week = isoWeeksInYear(year);
      }
    }
  }
  return formatKey(year, week);
}

export const previousWeek = (key: WeekKey): WeekKey => addWeeks(key, -1);

/** The last week that has fully ended at `now` in `tz` (the default for --week). */
export function lastCompleteWeek(now: Date, tz = 'UTC'): WeekKey {
  return previousWeek(weekKeyOf(now, tz));
}

/** `n` consecutive week keys ending with `last`, oldest first. */
export function weeksEndingAt(last: WeekKey, n: number): WeekKey[] {
  const out: WeekKey[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(addWeeks(last, -i));
  return out;
}
