import { describe, expect, it } from 'vitest';
import { retryAfterMs, userAgent } from '../../src/sources/http.ts';
import { CONNECTORS } from '../../src/sources/connectors.ts';

describe('polite HTTP', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('1.5', now)).toBe(1_500);
    expect(retryAfterMs('Tue, 01 Dec 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('names the service and its public URL in the User-Agent', () => {
    expect(userAgent('https://digest.example.org')).toMatch(/^SalaryTrendsDigest\/\S+ \(\+https:\/\/digest\.example\.org; /);
  });

  it('builds each API endpoint under the origin given', () => {
    expect(CONNECTORS.greenhouse.url('https://boards-api.greenhouse.io', 'acme')).toBe('https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true&pay_transparency=true');
    expect(CONNECTORS.lever.url('https://api.eu.lever.co', 'acme')).toBe('https://api.eu.lever.co/v0/postings/acme?mode=json');
    expect(CONNECTORS.ashby.url('https://api.ashbyhq.com', 'acme')).toBe('https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true');
  });

  it('refuses an answer that is not the API shape, and reports one odd job without losing the others', () => {
    expect(() => CONNECTORS.greenhouse.parse({ postings: [] })).toThrow();
    expect(() => CONNECTORS.lever.parse({ jobs: [] })).toThrow();
    const items = CONNECTORS.ashby.parse({ jobs: [{ id: 'a', title: 'ML Engineer', location: 'Remote' }, { title: 'no id' }] });
    expect(items[0]).toMatchObject({ external_id: 'a', title: 'ML Engineer' });
    expect(items[1]).toMatchObject({ error: expect.stringMatching(/^job 2: id: /) });
  });

  it("reads Lever's pay note as part of the description", () => {
    const [item] = CONNECTORS.lever.parse([{ id: 'x', text: 'Data Engineer', descriptionPlain: 'Pipelines.', salaryDescriptionPlain: 'The salary range is $140,000 - $170,000.' }]);
    expect(item).toMatchObject({ description: 'Pipelines.\n\nThe salary range is $140,000 - $170,000.' });
  });
});
