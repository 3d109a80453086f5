// The subscriber CSV of `digest subscribers import|export`: bad lines are
// named by number and cost only themselves; what is exported reads back the same.
import { formatSuppressionCsv } from '../../src/subscribers/suppression.ts';
import { describe, expect, it } from 'vitest';
import { formatSubscriberCsv, parseSubscriberCsv } from '../../src/subscribers/csv.ts';

describe('subscriber CSV', () => {
  it('reads quoted fields and mixed line ends, names bad lines and keeps the rows after them', () => {
    const text = '\uFEFFemail,roles\r\na@example.com,mlops-engineer\n\n"b@example.com,\nf"g@example.com,\nd@example.com,a,b\n"e,f@example.com","x;y"\n';
    const { rows, problems } = parseSubscriberCsv(text);
    expect(rows).toEqual([
      { line: 2, email: 'a@example.com', roles: 'mlops-engineer' },
      { line: 5, email: 'f"g@example.com', roles: '' }, // a quote inside an unquoted field is kept, as before csv-parse
      { line: 7, email: 'e,f@example.com', roles: 'x;y' },
    ]);
    expect(problems).toEqual([
      { line: 4, message: 'a quoted field is not closed (fields cannot span lines)' },
      { line: 6, message: '3 fields, expected at most 2 (email,roles); separate roles with ";"' },
    ]);
  });

  it('exports formulas behind a quote and reads back exactly what it wrote', () => {
    const readers = [
      { email: '=HYPERLINK("x")@example.com', roles: ['a', 'b'] },
      { email: "'=x@example.com", roles: [] },
      { email: 'plain@example.com', roles: ['nlp-engineer'] },
    ];
    const out = formatSubscriberCsv(readers);
    expect(out).toBe(`email,roles\n"'=HYPERLINK(""x"")@example.com",a;b\n''=x@example.com,\nplain@example.com,nlp-engineer\n`);
    expect(parseSubscriberCsv(out)).toEqual({
      rows: readers.map((r, i) => ({ line: i + 2, email: r.email, roles: r.roles.join(';') })),
      problems: [],
    });
  });

  it('asks for the header when it is missing or the file is empty', () => {
    expect(parseSubscriberCsv('address\nx@example.com\n').problems).toEqual([
      { line: 1, message: 'the first line must be the header "email" or "email,roles" (got "address")' },
    ]);
    expect(parseSubscriberCsv('\n').problems).toEqual([{ line: 1, message: 'the file is empty; expected the header "email" or "email,roles"' }]);
  });

  it('exports the suppression list with the address and the provider\'s reason guarded against formulas', () => {
    const csv = formatSuppressionCsv([
      { email: '=cmd|"/c calc"!A1@example.com', status: 'bounced', reason: '@SUM(1+1) mailbox unknown', since: new Date('2026-11-20T10:00:00Z') },
      { email: 'plain@example.com', status: 'complained', reason: 'complaint', since: new Date('2026-11-21T10:00:00Z') },
    ]);
    expect(csv).toBe(
      'email,status,reason,date\n' +
        `"'=cmd|""/c calc""!A1@example.com",bounced,'@SUM(1+1) mailbox unknown,2026-11-20T10:00:00.000Z\n` +
        'plain@example.com,complained,complaint,2026-11-21T10:00:00.000Z\n',
    );
  });
});
