// `digest ingest FILE... --dry-run`: one JSON object per row on stdout, in
// exactly the documented shape, and nothing stored (no database is opened).
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/run-cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'std-dry-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest --dry-run', () => {
  it('prints what the classifier made of every row and stores nothing', async () => {
    const csv = path.join(dir, 'feed.csv');
    writeFileSync(
      csv,
      [
        'external_id,title,company,location,remote,salary_min,salary_max,currency,period,description,seen_at',
        'g1,Senior Machine Learning Engineer,Acme,"San Francisco, CA",,150000,200000,USD,year,PyTorch models,2026-11-17',
        'g2,Data Scientist,Acme,Remote - US,,,,,,"Python and SQL. The salary range is $8,000 - $10,000 per month.",2026-11-17',
        'g3,Prompt Engineer,Acme,"London, UK",,,,,,"Salary: £45,000 - £55,000. We raised $300M.",2026-11-17',
        'g4,AI Engineer,Acme,,,,,,,No pay stated.,2026-11-17',
        'g5,Bad Row,Acme,,,abc,,,,,2026-11-17',
      ].join('\n'),
    );
    const jsonl = path.join(dir, 'more.jsonl');
    writeFileSync(jsonl, `${JSON.stringify({ external_id: 'j1', title: 'MLOps Engineer', company: 'B', seen_at: '2026-11-18', description: 'Hourly rate: $60 - $75 an hour' })}\nnot json\n`);
    const dataDir = path.join(dir, 'data');
    const r = await runCli(['ingest', csv, jsonl, '--dry-run'], { DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        line: 2, external_id: 'g1', title: 'Senior Machine Learning Engineer', role: 'ai-ml-engineer', seniority: 'senior', remote: false, metro: 'San Francisco', skills: ['PyTorch'],
        pay: { min: 150000, max: 200000, currency: 'USD', period: 'year', annual_min: 150000, annual_max: 200000, from: 'fields' },
      },
      {
        line: 3, external_id: 'g2', title: 'Data Scientist', role: 'data-scientist', seniority: 'mid', remote: true, metro: null, skills: ['Python', 'SQL'],
        pay: { min: 8000, max: 10000, currency: 'USD', period: 'month', annual_min: 96000, annual_max: 120000, from: 'text' },
      },
      {
        line: 4, external_id: 'g3', title: 'Prompt Engineer', role: 'prompt-engineer', seniority: 'mid', remote: false, metro: 'London', skills: ['Prompt Engineering'],
        pay: { min: 45000, max: 55000, currency: 'GBP', period: 'year', annual_min: 45000, annual_max: 55000, from: 'text' },
      },
      { line: 5, external_id: 'g4', title: 'AI Engineer', role: 'ai-ml-engineer', seniority: 'mid', remote: false, metro: null, skills: [], pay: null },
      { line: 6, error: 'salary_min "abc" is not an amount (write 120000, 120,000 or 120k)' },
      {
        line: 1, external_id: 'j1', title: 'MLOps Engineer', role: 'mlops-engineer', seniority: 'mid', remote: false, metro: null, skills: ['MLOps'],
        pay: { min: 60, max: 75, currency: 'USD', period: 'hour', annual_min: 124800, annual_max: 156000, from: 'text' },
      },
      { line: 2, error: expect.stringMatching(/^not valid JSON/) },
    ]);
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);
});
