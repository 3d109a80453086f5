// The strict Prometheus text parser of test/support: it reads a well-formed
// exposition into families and values, and refuses each kind of malformed
// input (so a /metrics test that parses is worth something).
import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { parsePrometheusText, PrometheusTextError, sampleValue } from '../support/prometheus-text.ts';

const GOOD = [
  '# HELP http_seconds Request latency, with a \\\\ and a \\n in the help.',
  '# TYPE http_seconds histogram',
  'http_seconds_bucket{route="/a",le="0.1"} 1',
  'http_seconds_bucket{route="/a",le="1"} 3',
  'http_seconds_bucket{route="/a",le="+Inf"} 4',
  'http_seconds_sum{route="/a"} 7.5',
  'http_seconds_count{route="/a"} 4',
  '# TYPE jobs gauge',
  'jobs{queue="delivery-batch",state="created"} 12',
  'jobs{queue="odd \\"name\\"\\\\x\\ny",state="retry",} -3.5e2',
  'jobs{queue="none"} NaN',
  'jobs{queue="up"} +Inf',
  'jobs{queue="down"} -Inf 1700000000000',
  'jobs{queue="go-spellings-nan"} Nan',
  'jobs{queue="go-spellings-inf"} -infinity',
  '',
  '# TYPE sent_total counter',
  'sent_total 0',
  '# TYPE rpc summary',
  'rpc{quantile="0.5"} 0.2',
  'rpc{quantile="0.99"} 0.9',
  'rpc_sum 12',
  'rpc_count 30',
  '# TYPE empty gauge',
  '',
].join('\n');

function rejects(text: string, message: RegExp): void {
  let error: unknown;
  try {
    parsePrometheusText(text);
  } catch (err) {
    error = err;
  }
  expect(error, `should reject:\n${text}`).toBeInstanceOf(PrometheusTextError);
  expect((error as Error).message).toMatch(message);
}

const gauge = (sample: string) => `# TYPE g gauge\n${sample}\n`;
const histogram = (...lines: string[]) => `# TYPE h histogram\n${lines.join('\n')}\n`;

describe('parsePrometheusText', () => {
  it('reads families, types, help, labels with escapes, floats and timestamps', () => {
    const f = parsePrometheusText(GOOD);
    expect([...f.keys()]).toEqual(['http_seconds', 'jobs', 'sent_total', 'rpc', 'empty']);
    expect(f.get('http_seconds')).toMatchObject({ type: 'histogram', help: 'Request latency, with a \\ and a \n in the help.' });
    expect(sampleValue(f, 'http_seconds_bucket', { route: '/a', le: '+Inf' })).toBe(4);
    expect(sampleValue(f, 'jobs', { queue: 'delivery-batch', state: 'created' })).toBe(12);
    expect(sampleValue(f, 'jobs', { queue: 'odd "name"\\x\ny', state: 'retry' })).toBe(-350);
    expect(sampleValue(f, 'jobs', { queue: 'none' })).toBeNaN();
    expect(sampleValue(f, 'jobs', { queue: 'up' })).toBe(Infinity);
    expect(sampleValue(f, 'jobs', { queue: 'down' })).toBe(-Infinity);
    expect(f.get('jobs')!.samples.find((s) => s.labels.queue === 'down')!.timestamp).toBe(1_700_000_000_000);
    expect(sampleValue(f, 'jobs', { queue: 'go-spellings-nan' })).toBeNaN();
    expect(sampleValue(f, 'jobs', { queue: 'go-spellings-inf' })).toBe(-Infinity);
    expect(sampleValue(f, 'jobs', { queue: 'delivery-batch' })).toBeUndefined(); // labels must match exactly
    expect(f.get('empty')!.samples).toEqual([]);
    expect(parsePrometheusText('').size).toBe(0);
  });

  it('accepts what prom-client writes for every metric type', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['k'], registers: [registry] });
    const g = new Gauge({ name: 'g', help: 'line one\nback\\slash', labelNames: ['k'], registers: [registry] });
    const h = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['route'], buckets: [0.1, 1], registers: [registry] });
    const s = new Summary({ name: 's', help: 's', registers: [registry] });
    c.inc({ k: 'a"b\\c\nd' }, 2);
    g.set({ k: 'x' }, -1.5);
    h.observe({ route: '/x/:id' }, 0.5);
    h.observe({ route: '/y' }, 3);
    s.observe(1);
    const f = parsePrometheusText(await registry.metrics());
    expect(sampleValue(f, 'c_total', { k: 'a"b\\c\nd' })).toBe(2);
    expect(f.get('g')!.help).toBe('line one\nback\\slash');
    expect(sampleValue(f, 'h_seconds_bucket', { route: '/x/:id', le: '1' })).toBe(1);
    expect(sampleValue(f, 'h_seconds_count', { route: '/y' })).toBe(1);
  });

  it.each([
    ['no final line feed', '# TYPE g gauge\ng 1', /last line must end with a line feed/],
    ['a carriage return', '# TYPE g gauge\r\ng 1\r\n', /carriage return/],
    ['a free comment', '# just a note\n', /not a "# HELP/],
    ['HELP without a space', '#HELP g x\n', /not a "# HELP/],
    ['a sample with no TYPE', 'g 1\n', /sample without a TYPE/],
    ['HELP alone is not a TYPE', '# HELP g x\ng 1\n', /sample without a TYPE/],
    ['TYPE after the samples', 'g 1\n# TYPE g gauge\n', /sample without a TYPE/],
    ['TYPE after samples of the family', '# TYPE g gauge\ng 1\n# TYPE g gauge\n', /TYPE after the family's samples/],
    ['a second TYPE', '# TYPE g gauge\n# TYPE g counter\n', /second TYPE/],
    ['a second HELP', '# HELP g a\n# HELP g b\n', /second HELP/],
    ['an unknown type', '# TYPE g gauges\n', /unknown type "gauges"/],
    ['a family split in two groups', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n', /one group/],
    ['a family declared twice apart', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n', /one group/],
    ['a metric name starting with a digit', gauge('1g 1'), /bad metric name "1g"/],
    ['a dash in a metric name', '# TYPE g-x gauge\n', /bad metric name "g-x"/],
    ['a bad label name', gauge('g{1a="x"} 1'), /bad label name "1a"/],
    ['a reserved label name', gauge('g{__name__="x"} 1'), /reserved/],
    ['an unquoted label value', gauge('g{a=x} 1'), /expected ="value"/],
    ['an unterminated label value', gauge('g{a="x} 1'), /unterminated value/],
    ['a bad escape in a label value', gauge('g{a="x\\ty"} 1'), /bad escape "\\\\t"/],
    ['a bad escape in HELP', '# HELP g tab\\there\n', /bad escape/],
    ['labels without a comma', gauge('g{a="x" b="y"} 1'), /expected , or }/],
    ['a label given twice', gauge('g{a="x",a="y"} 1'), /label a given twice/],
    ['a duplicate series', '# TYPE g gauge\ng{a="1",b="2"} 1\ng{b="2",a="1"} 2\n', /duplicate series/],
    ['a duplicate unlabelled series', '# TYPE g gauge\ng 1\ng 2\n', /duplicate series/],
    ['a comma in the value', gauge('g 1,5'), /bad value "1,5"/],
    ['a word for a value', gauge('g lots'), /bad value "lots"/],
    ['a signed NaN', gauge('g +NaN'), /bad value "\+NaN"/],
    ['a cut-off Infinity', gauge('g Infin'), /bad value "Infin"/],
    ['an exponent without digits', gauge('g 1e'), /bad value "1e"/],
    ['a lone dot', gauge('g .'), /bad value "\."/],
    ['a hex value without exponent', gauge('g 0x10'), /bad value "0x10"/],
    ['digit separators', gauge('g 1_000'), /bad value "1_000"/],
    ['no value', gauge('g'), /expected " value/],
    ['two spaces before the value', gauge('g  1'), /expected " value/],
    ['trailing blank', gauge('g 1 '), /expected " value/],
    ['a space before the labels', gauge('g {a="x"} 1'), /bad value "\{a=/],
    ['a fractional timestamp', gauge('g 1 1.5'), /bad timestamp/],
    ['a third token', gauge('g 1 2 3'), /expected " value/],
    ['a negative counter', '# TYPE c_total counter\nc_total -1\n', /counter cannot be negative/],
    ['a bucket without le', histogram('h_bucket 1', 'h_sum 1', 'h_count 1'), /needs an le label/],
    ['a bad le', histogram('h_bucket{le="x"} 1'), /bad le "x"/],
    ['no +Inf bucket', histogram('h_bucket{le="1"} 1', 'h_sum 1', 'h_count 1'), /no le="\+Inf" bucket/],
    ['le not ascending', histogram('h_bucket{le="1"} 1', 'h_bucket{le="0.5"} 1', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 1'), /le values must ascend/],
    ['bucket counts falling', histogram('h_bucket{le="1"} 2', 'h_bucket{le="+Inf"} 1', 'h_sum 1', 'h_count 1'), /must not fall/],
    ['no _sum', histogram('h_bucket{le="+Inf"} 1', 'h_count 1'), /without _sum/],
    ['no _count', histogram('h_bucket{le="+Inf"} 1', 'h_sum 1'), /without _count/],
    ['_count unlike +Inf', histogram('h_bucket{le="+Inf"} 2', 'h_sum 1', 'h_count 3'), /differs from the \+Inf bucket/],
    ['_count without buckets', histogram('h_sum 1', 'h_count 0'), /without _bucket/],
    ['le on _sum', histogram('h_bucket{le="+Inf"} 1', 'h_sum{le="1"} 1', 'h_count 1'), /only _bucket samples carry le/],
    ['a plain sample in a histogram family', histogram('h 1'), /a histogram family has no sample named h/],
    ['a summary quantile out of range', '# TYPE s summary\ns{quantile="1.5"} 1\ns_sum 1\ns_count 1\n', /quantile label in \[0, 1\]/],
    ['a summary without _count', '# TYPE s summary\ns{quantile="0.5"} 1\ns_sum 1\n', /summary without _count/],
  ])('rejects %s', (_what, text, message) => {
    rejects(text, message);
  });
});
