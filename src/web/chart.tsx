// A server-rendered SVG line chart of one or two series over weeks, with the
// same numbers in a table for screen readers and for anyone who prefers them.
// Drawn twice (wide and narrow) so its labels stay readable on phones; the
// table is short enough (a week and one or two figures) to fit a phone as is.
// Missing values (not enough disclosed pay) break the line instead of faking 0.
import { NOT_ENOUGH, nLabel, weekLabel } from '../stats/figures.ts';

interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** The count behind each value (postings disclosing pay), printed beside it in the table under the chart ("(n = 8)", kept on one line). */
  n?: number[];
}

export interface TrendChartProps {
  id: string;
  title: string;
  /** Week keys, oldest first; one per value in each series. */
  weeks: string[];
  series: ChartSeries[];
  format: (v: number) => string;
  /** Text for a missing value in the table. */
  missing?: string;
}

/**
 * Two drawings of the same chart, one shown per screen width (styles.ts):
 * an SVG's text scales with its viewBox, so one wide drawing squeezed onto a
 * phone would print its labels at 7px. Each drawing keeps its labels at
 * 11px or more on the screens it is shown on: the wide one from 40rem
 * (a 608px chart: 12 units at 0.95), the narrow one up to 40rem (13 units at
 * 340 wide: 11px on a 320px phone, 13.7px at 390px).
 */
interface Geometry {
  variant: 'wide' | 'narrow';
  W: number;
  H: number;
  font: number;
  /** At most this many week labels under the x axis. */
  xLabels: number;
}
const WIDE: Geometry = { variant: 'wide', W: 640, H: 260, font: 12, xLabels: 8 };
const NARROW: Geometry = { variant: 'narrow', W: 340, H: 240, font: 13, xLabels: 6 };
const PAD = { right: 14, top: 16, bottom: 36 };
const COLORS = ['#1d4ed8', '#b45309'];
const DASH = [undefined, '7 4'];

function niceStep(range: number): number {
  const raw = range / 4;
  const pow = 10 ** Math.floor(Math.log10(raw || 1));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function yScale(values: number[]): { lo: number; hi: number; ticks: number[] } {
  if (values.length === 0) return { lo: 0, hi: 1, ticks: [0, 1] };
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 1;
    max += Math.abs(max) * 0.1 || 1;
  }
  const step = niceStep(max - min);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(t);
  return { lo, hi, ticks };
}

function shortWeek(week: string): string {
  const m = /-W(\d{2})$/.exec(week);
  return m ? `W${Number(m[1])}` : week;
}

interface PlotProps {
  g: Geometry;
  id: string;
  title: string;
  desc: string;
  weeks: string[];
  series: ChartSeries[];
  format: (v: number) => string;
  missing: string;
}

/** One drawing of the chart at geometry `g`. */
function Plot({ g, id, title, desc, weeks, series, format, missing }: PlotProps) {
  const { W, H, font } = g;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v != null));
  const { lo, hi, ticks } = yScale(all);
  // Room for the longest y label (a digit is about 0.6 em wide) and a gap.
  const left = Math.max(40, Math.ceil(Math.max(0, ...ticks.map((t) => format(t).length)) * font * 0.6) + 14);
  const plotW = W - left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => left + (weeks.length <= 1 ? plotW / 2 : (i / (weeks.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  // Label every `every`-th week counting back from the latest, which always has one.
  const every = Math.max(1, Math.ceil(weeks.length / g.xLabels));
  const titleId = `${id}-${g.variant}-title`;
  const descId = `${id}-${g.variant}-desc`;

  return (
    <svg viewBox={`0 0 ${W} ${H}`} className={g.variant} role="img" aria-labelledby={`${titleId} ${descId}`} data-chart="trend">
      <title id={titleId}>{title}</title>
      <desc id={descId}>{desc}</desc>
      <g aria-hidden="true">
        {all.length === 0 ? (
          <text x={W / 2} y={H / 2} textAnchor="middle" fontSize={font + 2} fill="#4b5563">
            {missing}
          </text>
        ) : null}
        {(all.length ? ticks : []).map((t) => (
          <g key={`y${t}`}>
            <line x1={left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e5e7eb" strokeWidth="1" />
            <text x={left - 8} y={y(t) + font / 3} textAnchor="end" fontSize={font} fill="#4b5563">
              {format(t)}
            </text>
          </g>
        ))}
        {weeks.map((w, i) =>
          (weeks.length - 1 - i) % every === 0 ? (
            <text key={`x${w}`} x={x(i)} y={H - 12} textAnchor="middle" fontSize={font} fill="#4b5563">
              {shortWeek(w)}
            </text>
          ) : null,
        )}
        {series.map((s, si) => {
          // Break the line where a value is missing.
          const runs: string[][] = [[]];
          s.values.forEach((v, i) => {
            if (v == null) runs.push([]);
            else runs.at(-1)!.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
          });
          const color = COLORS[si % COLORS.length]!;
          return (
            <g key={s.label}>
              {runs
                .filter((r) => r.length > 1)
                .map((r, ri) => (
                  <polyline
                    key={ri}
                    points={r.join(' ')}
                    fill="none"
                    stroke={color}
                    strokeWidth="2.5"
                    strokeDasharray={DASH[si % DASH.length]}
                  />
                ))}
              {s.values.map((v, i) =>
                v == null ? null : si % 2 === 0 ? (
                  <circle key={i} cx={x(i)} cy={y(v)} r="4" fill={color} />
                ) : (
                  <rect key={i} x={x(i) - 4} y={y(v) - 4} width="8" height="8" fill={color} />
                ),
              )}
            </g>
          );
        })}
      </g>
    </svg>
  );
}

export function TrendChart({ id, title, weeks, series, format, missing = NOT_ENOUGH }: TrendChartProps) {
  const desc = series
    .map((s) => {
      const known = s.values.map((v, i) => [weeks[i]!, v] as const).filter(([, v]) => v != null);
      if (known.length === 0) return `${s.label}: ${missing} in these weeks.`;
      const first = known[0]!;
      const last = known.at(-1)!;
      return `${s.label}: ${format(first[1]!)} in ${weekLabel(first[0])}, ${format(last[1]!)} in ${weekLabel(last[0])}.`;
    })
    .join(' ');
  const plot = { id, title, desc, weeks, series, format, missing };

  return (
    <figure className="chart" id={id}>
      <Plot g={WIDE} {...plot} />
      <Plot g={NARROW} {...plot} />
      <figcaption>
        <ul className="legend">
          {series.map((s, si) => (
            <li key={s.label}>
              <span className={si % 2 === 0 ? 'key' : 'key b'} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="table-scroll" role="region" aria-label={`${title}: the numbers`} tabIndex={0}>
        <table className="weeks">
          <caption>
            {title}: the numbers{series.some((s) => s.n) ? ' (n = postings disclosing pay)' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              {series.map((s) => (
                <th scope="col" className="num" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w, i) => (
              <tr key={w}>
                <th scope="row">{weekLabel(w)}</th>
                {series.map((s) => {
                  const v = s.values[i];
                  return (
                    <td className="num" key={s.label}>
                      {`${v == null ? missing : format(v)}${s.n ? ` (${nLabel(s.n[i] ?? 0).replaceAll(' ', '\u00a0')})` : ''}`}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
