// docs/methodology.md ("Rules at the edges") states the same rules and constants
// as src/methodology/edge-rules.ts, which takes its numbers from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EDGE_RULES } from '../../src/methodology/edge-rules.ts';
import { REMOTE_PICK_POINTS, SIMILAR_PAY_DOLLARS } from '../../src/compare/pair-facts.ts';

const docs = readFileSync(new URL('../../docs/methodology.md', import.meta.url), 'utf8');
const section = docs.slice(docs.indexOf('## Rules at the edges'));
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('rules at the edges', () => {
  it('has eight rules with distinct ids, each naming an existing file', () => {
    expect(EDGE_RULES).toHaveLength(8);
    expect(new Set(EDGE_RULES.map((r) => r.id)).size).toBe(8);
    for (const r of EDGE_RULES) expect(() => readFileSync(new URL(`../../${r.file}`, import.meta.url))).not.toThrow();
  });

  it.each(EDGE_RULES.map((r) => [r.id, r] as const))('docs/methodology.md states %s as the code does', (_id, r) => {
    expect(section).toContain('## Rules at the edges');
    const heading = `### ${r.title}\n`;
    expect(section).toContain(heading);
    const body = section.slice(section.indexOf(heading) + heading.length).split('\n### ')[0]!;
    expect(flat(body)).toContain(flat(r.rule));
    expect(flat(body)).toContain(`Constant: \`${r.constant.name}\` = \`${r.constant.value}\`, in \`${r.file}\`.`);
  });

  it('takes its numbers from the code', () => {
    expect(EDGE_RULES.find((r) => r.id === 'remote-pick')!.constant.value).toBe(String(REMOTE_PICK_POINTS));
    expect(EDGE_RULES.find((r) => r.id === 'similar-pay')!.rule).toContain(`$${SIMILAR_PAY_DOLLARS.toLocaleString('en-US')} apart`);
  });
});

describe('the /methodology page', () => {
  it('shows every rule at the edges with its constant, as the code holds them', async () => {
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const he = (await import('he')).default;
    const { MethodologyPage } = await import('../../src/web/pages/methodology-page.tsx');
    const textOf = (html: string) => he.decode(html.replace(/<[^>]+>/g, ''));
    const text = textOf(renderToStaticMarkup(createElement(MethodologyPage, { publicUrl: 'http://x' })));
    for (const r of EDGE_RULES) {
      expect(text, r.id).toContain(r.rule);
      expect(text, r.id).toContain(`${r.constant.name} = ${r.constant.value}`);
    }
    // A changed constant shows on the page: it renders what it is given.
    const changed = textOf(renderToStaticMarkup(createElement(MethodologyPage, { publicUrl: 'http://x', edgeRules: [{ ...EDGE_RULES[0]!, constant: { name: 'REMOTE_PICK_POINTS', value: '12' } }] })));
    expect(changed).toContain('REMOTE_PICK_POINTS = 12');
  });
});
