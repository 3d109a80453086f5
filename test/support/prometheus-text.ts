// A strict parser of the Prometheus text exposition format (0.0.4), for tests:
// it throws on the first line a scraper could misread, so "/metrics parses"
// means something. Stricter than Prometheus itself where the format leaves
// room: every family needs a TYPE line, comments other than HELP and TYPE are
// refused, tokens are separated by single spaces, no trailing blanks.
//
// Checked: line endings (LF only, final LF); `# HELP name text` and
// `# TYPE name type` at most once per family and before its samples; a
// family's lines in one group; metric and label name grammar (no reserved
// `__` labels); label values quoted with only \\, \" and \n escapes; no
// repeated label in a sample; float values (incl. +Inf, -Inf, NaN) and
// integer timestamps; no duplicate series; counters not negative; histograms
// (`_bucket` with an ascending `le` ending at +Inf, cumulative counts, `_sum`,
// `_count` equal to the +Inf bucket) and summaries (`quantile` in [0, 1],
// `_sum`, `_count`).

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
  line: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export class PrometheusTextError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'PrometheusTextError';
  }
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d+$/;
const TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A sample value or `le`/`quantile` as Go's strconv.ParseFloat reads it (the
 * format's definition): a decimal float, or Inf/Infinity (signed or not) and
 * NaN in any case; prom-client writes NaN as `Nan`. Hexadecimal floats, which
 * ParseFloat also takes, are refused: no exporter here writes them.
 */
function parseFloatToken(s: string): number | undefined {
  if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  return FLOAT.test(s) ? Number(s) : undefined;
}

interface Draft extends MetricFamily {
  declaredType: boolean;
}

/** Parses a whole exposition; throws PrometheusTextError on the first malformed line. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text.includes('\r')) throw new PrometheusTextError(text.slice(0, text.indexOf('\r')).split('\n').length, 'carriage return: lines end with LF only');
  if (text !== '' && !text.endsWith('\n')) throw new PrometheusTextError(text.split('\n').length, 'the last line must end with a line feed');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const families = new Map<string, Draft>();
  const closed = new Set<string>();
  const series = new Set<string>();
  let current: Draft | undefined;

  /** Makes `name` the current family, opening it if new; refuses a family whose group already ended. */
  const enter = (name: string, line: number): Draft => {
    if (current?.name === name) return current;
    if (current) closed.add(current.name);
    if (closed.has(name)) throw new PrometheusTextError(line, `${name}: lines of a metric family must form one group`);
    current = { name, type: 'untyped', samples: [], declaredType: false };
    families.set(name, current);
    return current;
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw === '') return; // Empty lines are ignored by the format.
    if (raw.startsWith('#')) {
      const help = /^# HELP ([^ ]+)(?: (.*))?$/.exec(raw);
      const type = /^# TYPE ([^ ]+) ([^ ]+)$/.exec(raw);
      if (!help && !type) throw new PrometheusTextError(line, `not a "# HELP name text" or "# TYPE name type" line: ${JSON.stringify(raw)}`);
      const name = (help ?? type)![1]!;
      if (!METRIC_NAME.test(name)) throw new PrometheusTextError(line, `bad metric name ${JSON.stringify(name)}`);
      const fam = enter(name, line);
      if (fam.samples.length > 0) throw new PrometheusTextError(line, `${name}: ${help ? 'HELP' : 'TYPE'} after the family's samples`);
      if (help) {
        if (fam.help !== undefined) throw new PrometheusTextError(line, `${name}: a second HELP line`);
        fam.help = unescape(help[2] ?? '', line, false);
      } else {
        if (fam.declaredType) throw new PrometheusTextError(line, `${name}: a second TYPE line`);
        if (!TYPES.has(type![2]!)) throw new PrometheusTextError(line, `${name}: unknown type ${JSON.stringify(type![2])}`);
        fam.type = type![2] as MetricType;
        fam.declaredType = true;
      }
      return;
    }

    const s = parseSampleLine(raw, line);
    const fam = current && belongsTo(current, s.name) ? current : undefined;
    if (!fam) {
      if (current?.name === s.name) throw new PrometheusTextError(line, `${s.name}: a ${current.type} family has no sample named ${s.name}`);
      if (families.has(s.name) || closed.has(s.name)) throw new PrometheusTextError(line, `${s.name}: lines of a metric family must form one group`);
      throw new PrometheusTextError(line, `${s.name}: sample without a TYPE line before it`);
    }
    if (!fam.declaredType) throw new PrometheusTextError(line, `${s.name}: sample without a TYPE line before it`);
    const key = seriesKey(s.name, s.labels);
    if (series.has(key)) throw new PrometheusTextError(line, `duplicate series ${key}`);
    series.add(key);
    checkByType(fam, s);
    fam.samples.push(s);
  });

  for (const fam of families.values()) {
    if (fam.type === 'histogram') checkHistogram(fam);
    if (fam.type === 'summary') checkSummary(fam);
  }
  return new Map([...families].map(([k, { declaredType: _d, ...f }]) => [k, f]));
}

/** The value of the sample `name` with exactly `labels`, or undefined. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = seriesKey(name, labels);
  for (const fam of families.values()) {
    for (const s of fam.samples) if (seriesKey(s.name, s.labels) === want) return s.value;
  }
  return undefined;
}

/** Every sample named `name`, from whichever family holds it. */
export function samplesNamed(families: Map<string, MetricFamily>, name: string): Sample[] {
  return [...families.values()].flatMap((f) => f.samples.filter((s) => s.name === name));
}

function belongsTo(fam: Draft, name: string): boolean {
  if (fam.type === 'histogram') return name === `${fam.name}_bucket` || name === `${fam.name}_sum` || name === `${fam.name}_count`;
  if (fam.type === 'summary') return name === fam.name || name === `${fam.name}_sum` || name === `${fam.name}_count`;
  return name === fam.name;
}

function seriesKey(name: string, labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${pairs.join(',')}}`;
}

/** Undoes the escapes of a label value (\\, \", \n) or a HELP text (\\, \n). */
function unescape(s: string, line: number, quotes: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = s[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && quotes) out += '"';
    else throw new PrometheusTextError(line, `bad escape ${JSON.stringify(`\\${next ?? ''}`)} (only \\\\, ${quotes ? '\\", ' : ''}\\n)`);
  }
  return out;
}

function parseSampleLine(raw: string, line: number): Sample {
  const name = /^[^{ ]*/.exec(raw)![0];
  if (!METRIC_NAME.test(name)) throw new PrometheusTextError(line, `bad metric name ${JSON.stringify(name)}`);
  let at = name.length;
  const labels: Record<string, string> = {};
  if (raw[at] === '{') {
    at++;
    for (;;) {
      if (raw[at] === '}') {
        at++;
        break;
      }
      const ln = /^[^=]*/.exec(raw.slice(at))![0];
      if (!LABEL_NAME.test(ln)) throw new PrometheusTextError(line, `bad label name ${JSON.stringify(ln)}`);
      if (ln.startsWith('__')) throw new PrometheusTextError(line, `label name ${ln} is reserved (leading __)`);
      if (Object.hasOwn(labels, ln)) throw new PrometheusTextError(line, `label ${ln} given twice`);
      at += ln.length;
      if (raw[at] !== '=' || raw[at + 1] !== '"') throw new PrometheusTextError(line, `label ${ln}: expected ="value"`);
      at += 2;
      let end = at;
      while (end < raw.length && raw[end] !== '"') end += raw[end] === '\\' ? 2 : 1;
      if (end >= raw.length) throw new PrometheusTextError(line, `label ${ln}: unterminated value`);
      labels[ln] = unescape(raw.slice(at, end), line, true);
      at = end + 1;
      if (raw[at] === ',') at++;
      else if (raw[at] !== '}') throw new PrometheusTextError(line, `label ${ln}: expected , or } after the value`);
    }
  }
  const rest = raw.slice(at);
  const m = /^ ([^ ]+)(?: ([^ ]+))?$/.exec(rest);
  if (!m) throw new PrometheusTextError(line, `${name}: expected " value [timestamp]" after the name and labels, got ${JSON.stringify(rest)}`);
  const value = parseFloatToken(m[1]!);
  if (value === undefined) throw new PrometheusTextError(line, `${name}: bad value ${JSON.stringify(m[1])}`);
  const sample: Sample = { name, labels, value, line };
  if (m[2] !== undefined) {
    if (!TIMESTAMP.test(m[2])) throw new PrometheusTextError(line, `${name}: bad timestamp ${JSON.stringify(m[2])} (integer milliseconds)`);
    sample.timestamp = Number(m[2]);
  }
  return sample;
}

function checkByType(fam: Draft, s: Sample): void {
  const fail = (msg: string) => {
    throw new PrometheusTextError(s.line, `${s.name}: ${msg}`);
  };
  if (fam.type === 'counter' && s.value < 0) fail('a counter cannot be negative');
  if (fam.type === 'histogram') {
    const isBucket = s.name.endsWith('_bucket');
    if (isBucket && s.labels.le === undefined) fail('a histogram bucket needs an le label');
    if (isBucket && parseFloatToken(s.labels.le!) === undefined) fail(`bad le ${JSON.stringify(s.labels.le)}`);
    if (!isBucket && s.labels.le !== undefined) fail('only _bucket samples carry le');
    if (s.value < 0) fail('histogram counts cannot be negative');
  }
  if (fam.type === 'summary') {
    if (s.name === fam.name) {
      const q = s.labels.quantile === undefined ? undefined : parseFloatToken(s.labels.quantile);
      if (q === undefined || !(q >= 0 && q <= 1)) fail(`a summary quantile needs a quantile label in [0, 1], got ${JSON.stringify(s.labels.quantile)}`);
    } else if (s.labels.quantile !== undefined) fail('only the quantile samples carry quantile');
  }
}

/** Groups a family's samples by their labels without `drop`. */
function groups(fam: MetricFamily, drop: string): Map<string, { labels: string; samples: Sample[] }> {
  const out = new Map<string, { labels: string; samples: Sample[] }>();
  for (const s of fam.samples) {
    const { [drop]: _, ...rest } = s.labels;
    const key = seriesKey('', rest);
    if (!out.has(key)) out.set(key, { labels: key, samples: [] });
    out.get(key)!.samples.push(s);
  }
  return out;
}

function checkHistogram(fam: MetricFamily): void {
  for (const g of groups(fam, 'le').values()) {
    const buckets = g.samples.filter((s) => s.name === `${fam.name}_bucket`);
    const sum = g.samples.find((s) => s.name === `${fam.name}_sum`);
    const count = g.samples.find((s) => s.name === `${fam.name}_count`);
    const where = (s?: Sample) => s?.line ?? g.samples[0]!.line;
    if (buckets.length === 0) throw new PrometheusTextError(where(), `${fam.name}${g.labels}: histogram without _bucket samples`);
    let prevLe = -Infinity;
    let prevCount = -Infinity;
    for (const b of buckets) {
      const le = parseFloatToken(b.labels.le!)!;
      if (!(le > prevLe)) throw new PrometheusTextError(b.line, `${fam.name}${g.labels}: le values must ascend (${b.labels.le} after ${prevLe})`);
      if (!(b.value >= prevCount)) throw new PrometheusTextError(b.line, `${fam.name}${g.labels}: bucket counts must not fall (${b.value} after ${prevCount})`);
      prevLe = le;
      prevCount = b.value;
    }
    const inf = buckets.at(-1)!;
    if (parseFloatToken(inf.labels.le!) !== Infinity) throw new PrometheusTextError(inf.line, `${fam.name}${g.labels}: no le="+Inf" bucket`);
    if (!sum) throw new PrometheusTextError(where(), `${fam.name}${g.labels}: histogram without _sum`);
    if (!count) throw new PrometheusTextError(where(), `${fam.name}${g.labels}: histogram without _count`);
    if (count.value !== inf.value) throw new PrometheusTextError(count.line, `${fam.name}${g.labels}: _count ${count.value} differs from the +Inf bucket ${inf.value}`);
  }
}

function checkSummary(fam: MetricFamily): void {
  for (const g of groups(fam, 'quantile').values()) {
    const line = g.samples[0]!.line;
    if (!g.samples.some((s) => s.name === `${fam.name}_sum`)) throw new PrometheusTextError(line, `${fam.name}${g.labels}: summary without _sum`);
    if (!g.samples.some((s) => s.name === `${fam.name}_count`)) throw new PrometheusTextError(line, `${fam.name}${g.labels}: summary without _count`);
  }
}
