import { describe, expect, it } from 'vitest';
import { seniorityFrom } from '../../src/postings/seniority.ts';

describe('seniorityFrom', () => {
  it('uses the feed value when it can read it, over the title', () => {
    expect(seniorityFrom('Junior', 'Senior ML Engineer')).toBe('entry');
    expect(seniorityFrom('entry-level', 'ML Engineer')).toBe('entry');
    expect(seniorityFrom('Intermediate', 'Senior ML Engineer')).toBe('mid');
    expect(seniorityFrom('mid', 'Intern')).toBe('mid');
    expect(seniorityFrom('STAFF', 'ML Engineer')).toBe('senior');
    expect(seniorityFrom('principal', 'ML Engineer')).toBe('senior');
    expect(seniorityFrom('Lead', 'ML Engineer')).toBe('senior');
  });

  it('falls back to the title when the feed value is missing or unreadable', () => {
    expect(seniorityFrom(undefined, 'Senior ML Engineer')).toBe('senior');
    expect(seniorityFrom(null, 'Junior Data Scientist')).toBe('entry');
    expect(seniorityFrom('', 'Staff Software Engineer, AI Agents')).toBe('senior');
    expect(seniorityFrom('Mid-Senior level', 'Principal AI Architect')).toBe('senior');
    expect(seniorityFrom('n/a', 'Data Engineer')).toBe('mid');
  });

  it('reads senior and entry words in titles', () => {
    expect(seniorityFrom(null, 'Sr. Data Scientist')).toBe('senior');
    expect(seniorityFrom(null, 'Sr Data Scientist')).toBe('senior');
    expect(seniorityFrom(null, 'Tech Lead, AI Platform')).toBe('senior');
    expect(seniorityFrom(null, 'Lead Engineer')).toBe('senior');
    expect(seniorityFrom(null, 'Jr. Data Analyst')).toBe('entry');
    expect(seniorityFrom(null, 'Entry Level AI Engineer')).toBe('entry');
    expect(seniorityFrom(null, 'Associate Data Scientist')).toBe('entry');
    expect(seniorityFrom(null, 'Machine Learning Intern')).toBe('entry');
    expect(seniorityFrom(null, 'Graduate ML Engineer')).toBe('entry');
    expect(seniorityFrom(null, 'Machine Learning Engineer')).toBe('mid');
  });

  it('checks senior words before entry words', () => {
    expect(seniorityFrom(null, 'Senior Associate, AI')).toBe('senior');
  });

  it('matches whole words only and treats lead generation as a function, not a level', () => {
    expect(seniorityFrom(null, 'Seniority Analyst')).toBe('mid');
    expect(seniorityFrom(null, 'Staffing Coordinator')).toBe('mid');
    expect(seniorityFrom(null, 'Internal Tools Engineer')).toBe('mid');
    expect(seniorityFrom(null, 'Lead Generation Specialist')).toBe('mid');
    expect(seniorityFrom(null, 'Lead-Gen Representative')).toBe('mid');
    expect(seniorityFrom(null, 'Lead Generative AI Engineer')).toBe('senior');
    expect(seniorityFrom(null, 'Leading AI Engineer')).toBe('mid');
  });
});
