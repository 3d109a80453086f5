// The demo data's target: every figure of one week of the tracker (the last
// demo week), and how earlier weeks drift from it. The last week's figures
// reproduce the reference week (positions, pay quartiles and means, remote
// share, seniority mix, top skills, employers and metros); earlier weeks move
// by a few percent so that week-over-week changes, headline pay moves and
// skills entering or leaving a top 8 all show up. Pure constants and math.
import type { PayTargets } from './pay.ts';
import { wobble } from '../stats/rng.ts';
import { AI_LABS, BIG_TECH, ENTERPRISE, GENERAL, interleave, SERVICES, STARTUPS } from './vocabulary.ts';

type Pairs = ReadonlyArray<readonly [string, number]>;

export interface RoleProfile {
  /** Catalog slug, or `other` for titles outside the catalog. */
  role: string;
  positions: number;
  /** Postings with disclosed annual USD pay. */
  disclosed: number;
  pay: Omit<PayTargets, 'n'>;
  remote: number;
  /** Seniority counts; mid is the rest. */
  entry: number;
  senior: number;
  /** Skill -> share of the role's postings; the top 8 strictly in this order. */
  skills: Pairs;
  /** Named employers with counts; the rest spread over `companyPool`, each below the last named one. */
  companies: Pairs;
  companyPool: readonly string[];
  /** Named metros with counts, in order; the rest spread over the other US metros, each below the last named one. */
  metros: Pairs;
  /** Whether "Remote" must outrank every metro not named. */
  remoteAboveRest: boolean;
  /** Share of postings abroad (pay in local currency, so never disclosed USD). */
  foreignShare: number;
  /** Titles of mid-level postings; senior and entry postings get a level word in front. */
  titles: readonly string[];
}

export interface DemoProfile {
  roles: readonly RoleProfile[];
}

const pay = (
  p25: number,
  median: number,
  p75: number,
  mean: number,
  minMean: number,
  bounds: { lo?: number; hi?: number; hourly?: number } = {},
): Omit<PayTargets, 'n'> => ({
  p25,
  median,
  p75,
  mean,
  minMean,
  lo: bounds.lo ?? Math.round(p25 * 0.6),
  hi: bounds.hi ?? Math.round(p75 * 1.3),
  solve: bounds.hi !== undefined && bounds.lo === undefined ? 'bottom' : 'top',
  hourlyShare: bounds.hourly ?? 0.03,
});

// Employer pools, most frequent first. Openkyber (STARTUPS[0]) posts only MLOps roles.
const NEW_STARTUPS = STARTUPS.slice(1);
const TECH_POOL = interleave(BIG_TECH, ENTERPRISE, SERVICES, AI_LABS, NEW_STARTUPS, GENERAL);
const VISION = ['Tesla', 'NVIDIA', 'Apple', 'Qualcomm', 'Intel', 'AMD', 'Meta', 'Amazon', 'Boeing', 'Lockheed Martin'];

/**
 * The last demo week. Means of the maximum are chosen so that every published
 * comparison holds at once: MLOps pays 52% more than Prompt Engineer (ceiling
 * gap $67K), 30% more than AI/ML ($45K), AI Software Engineer 28% more than
 * MLOps ($55K), and AI Product Manager is within $5K of MLOps.
 */
export const LAST_WEEK: DemoProfile = {
  roles: [
    {
      role: 'prompt-engineer',
      positions: 9,
      disclosed: 8,
      pay: pay(110_000, 122_000, 140_000, 127_100, 99_000, { lo: 90_000, hourly: 0.13 }),
      remote: 2,
      entry: 0,
      senior: 1,
      skills: [
        ['Prompt Engineering', 1], ['Python', 0.89], ['RAG', 0.78], ['Embeddings', 0.67], ['Gemini', 0.56], ['Claude', 0.44],
        ['LangChain', 0.33], ['OpenAI', 0.22], ['Hugging Face', 0.11], ['Vector Databases', 0.11], ['AWS', 0.11],
      ],
      companies: [],
      companyPool: interleave(NEW_STARTUPS, AI_LABS, BIG_TECH),
      metros: [],
      remoteAboveRest: true,
      foreignShare: 0,
      titles: ['Prompt Engineer', 'Prompt Engineer', 'LLM Prompt Engineer', 'Prompt Engineering Specialist', 'Generative AI Prompt Engineer', 'Prompt Designer'],
    },
    {
      role: 'mlops-engineer',
      positions: 80,
      disclosed: 34,
      pay: pay(135_000, 173_000, 238_000, 193_700, 128_000, { lo: 95_000, hourly: 0.06 }),
      remote: 7,
      entry: 3,
      senior: 18,
      skills: [
        ['AWS', 0.62], ['Python', 0.58], ['Kubernetes', 0.52], ['RAG', 0.45], ['Docker', 0.41], ['GCP', 0.36], ['Azure', 0.32], ['Rust', 0.27],
        ['Terraform', 0.24], ['MLflow', 0.2], ['Airflow', 0.15], ['PyTorch', 0.12], ['Kafka', 0.08],
      ],
      companies: [['Openkyber', 27], ['Apple', 3], ['Worldpay', 2]],
      companyPool: TECH_POOL,
      metros: [['San Francisco', 6], ['Austin', 5]],
      remoteAboveRest: true,
      foreignShare: 0.03,
      titles: ['MLOps Engineer', 'MLOps Engineer', 'Machine Learning Operations Engineer', 'ML Platform Engineer', 'AI Infrastructure Engineer', 'LLMOps Engineer', 'ML Ops Engineer'],
    },
    {
      role: 'ai-ml-engineer',
      positions: 23_752,
      disclosed: 14_251,
      pay: pay(95_000, 120_000, 218_000, 148_460, 93_000, { lo: 45_000, hourly: 0.05 }),
      remote: 1_663,
      entry: 2_613,
      senior: 4_275,
      skills: [
        ['RAG', 0.41], ['AWS', 0.38], ['Rust', 0.35], ['Python', 0.33], ['Azure', 0.3], ['GCP', 0.27], ['Prompt Engineering', 0.24], ['OpenAI', 0.21],
        ['PyTorch', 0.19], ['Docker', 0.17], ['Kubernetes', 0.15], ['LangChain', 0.14], ['TensorFlow', 0.12], ['SQL', 0.11],
        ['Hugging Face', 0.09], ['Spark', 0.06], ['Databricks', 0.05], ['Embeddings', 0.05],
      ],
      companies: [],
      companyPool: TECH_POOL,
      metros: [['Los Angeles', 2_610], ['New York', 2_380]],
      remoteAboveRest: true,
      foreignShare: 0.02,
      titles: [
        'Machine Learning Engineer', 'Machine Learning Engineer', 'AI Engineer', 'AI/ML Engineer', 'ML Engineer', 'Generative AI Engineer',
        'Deep Learning Engineer', 'LLM Engineer', 'AI Developer', 'Applied Machine Learning Engineer',
      ],
    },
    {
      role: 'ai-software-engineer',
      positions: 598,
      disclosed: 518,
      pay: pay(203_000, 235_000, 300_000, 248_700, 140_000, { lo: 120_000, hourly: 0.02 }),
      remote: 48,
      entry: 12,
      senior: 329,
      skills: [
        ['RAG', 0.52], ['Python', 0.48], ['Rust', 0.44], ['Kubernetes', 0.4], ['AWS', 0.37], ['Docker', 0.34], ['Claude', 0.31], ['OpenAI', 0.28],
        ['TypeScript', 0.25], ['LangChain', 0.22], ['Java', 0.15], ['GCP', 0.14], ['Azure', 0.12], ['Embeddings', 0.1],
      ],
      companies: [['Accenture', 112], ['Google', 74], ['Apple', 26], ['GEICO', 18]],
      companyPool: TECH_POOL,
      metros: [['San Francisco', 95], ['Los Angeles', 74], ['New York', 61]],
      remoteAboveRest: true,
      foreignShare: 0.02,
      titles: ['AI Software Engineer', 'Software Engineer, AI', 'GenAI Application Engineer', 'LLM Backend Engineer', 'AI Full Stack Engineer', 'Software Engineer - AI Agents', 'AI Agent Engineer'],
    },
    {
      role: 'ai-product-manager',
      positions: 594,
      disclosed: 416,
      pay: pay(150_000, 200_000, 243_000, 194_000, 134_000, { hi: 290_000, hourly: 0.02 }),
      remote: 107,
      entry: 12,
      senior: 232,
      skills: [
        ['RAG', 0.4], ['Rust', 0.36], ['AWS', 0.33], ['Python', 0.3], ['Prompt Engineering', 0.27], ['GCP', 0.24], ['Salesforce', 0.21], ['Azure', 0.18],
        ['OpenAI', 0.15], ['SQL', 0.13], ['Claude', 0.1], ['Snowflake', 0.08],
      ],
      companies: [],
      companyPool: interleave(BIG_TECH, ENTERPRISE, NEW_STARTUPS, AI_LABS),
      metros: [['New York', 86], ['San Francisco', 72]],
      remoteAboveRest: true,
      foreignShare: 0.03,
      titles: ['AI Product Manager', 'Product Manager, AI', 'Product Manager - Machine Learning', 'Generative AI Product Manager', 'Technical Product Manager, AI Platform', 'AI Product Owner'],
    },
    other('data-scientist', 310, 190, pay(112_000, 135_000, 165_000, 141_000, 102_000, { lo: 70_000 }), [
      ['Python', 0.72], ['SQL', 0.64], ['scikit-learn', 0.35], ['PyTorch', 0.3], ['TensorFlow', 0.25], ['Spark', 0.22], ['AWS', 0.2],
      ['Tableau', 0.18], ['Databricks', 0.15], ['Snowflake', 0.12], ['R', 0.1],
    ], ['Data Scientist', 'Data Scientist', 'Data Scientist, Experimentation', 'Decision Scientist', 'Data Scientist, Machine Learning'], interleave(ENTERPRISE, BIG_TECH, GENERAL)),
    other('data-engineer', 260, 160, pay(115_000, 140_000, 170_000, 145_000, 105_000, { lo: 75_000 }), [
      ['SQL', 0.75], ['Python', 0.68], ['Spark', 0.45], ['Airflow', 0.4], ['AWS', 0.35], ['Kafka', 0.3], ['Snowflake', 0.28],
      ['Databricks', 0.25], ['Azure', 0.14], ['GCP', 0.12], ['Terraform', 0.1],
    ], ['Data Engineer', 'Data Engineer', 'Analytics Engineer', 'Data Platform Engineer', 'ETL Engineer'], interleave(ENTERPRISE, SERVICES, BIG_TECH)),
    other('ml-research-scientist', 120, 70, pay(170_000, 210_000, 265_000, 225_000, 155_000, { lo: 120_000 }), [
      ['PyTorch', 0.7], ['Python', 0.68], ['JAX', 0.3], ['CUDA', 0.25], ['Transformers', 0.22], ['Fine-tuning', 0.2], ['Hugging Face', 0.18],
      ['C++', 0.15], ['TensorFlow', 0.12],
    ], ['Research Scientist', 'Research Scientist, LLMs', 'Applied Scientist', 'Research Engineer', 'Machine Learning Researcher'], interleave(AI_LABS, BIG_TECH)),
    other('computer-vision-engineer', 80, 48, pay(135_000, 165_000, 200_000, 172_000, 122_000, { lo: 95_000 }), [
      ['PyTorch', 0.65], ['Python', 0.6], ['Computer Vision', 0.5], ['C++', 0.35], ['TensorFlow', 0.25], ['CUDA', 0.22], ['Docker', 0.15], ['AWS', 0.12],
    ], ['Computer Vision Engineer', 'Computer Vision Engineer', 'Perception Engineer', 'Vision ML Engineer', 'Imaging Engineer'], interleave(VISION, GENERAL, NEW_STARTUPS)),
    other('nlp-engineer', 60, 36, pay(130_000, 160_000, 195_000, 166_000, 118_000, { lo: 90_000 }), [
      ['Python', 0.7], ['NLP', 0.55], ['PyTorch', 0.45], ['Hugging Face', 0.35], ['Transformers', 0.3], ['LangChain', 0.2], ['Embeddings', 0.18], ['AWS', 0.12],
    ], ['NLP Engineer', 'NLP Engineer', 'Natural Language Processing Engineer', 'Conversational AI Engineer', 'Speech Engineer'], interleave(AI_LABS, BIG_TECH, NEW_STARTUPS)),
    other('ai-architect', 90, 55, pay(165_000, 195_000, 230_000, 201_000, 145_000, { lo: 120_000 }), [
      ['AWS', 0.55], ['Azure', 0.5], ['Python', 0.4], ['GCP', 0.35], ['Kubernetes', 0.3], ['RAG', 0.28], ['Terraform', 0.22], ['OpenAI', 0.2], ['LangChain', 0.15],
    ], ['AI Architect', 'Machine Learning Architect', 'AI Solutions Architect', 'Generative AI Architect', 'Enterprise Architect, AI'], interleave(SERVICES, BIG_TECH, ENTERPRISE)),
    other('devops-engineer', 140, 90, pay(120_000, 145_000, 175_000, 151_000, 110_000, { lo: 80_000 }), [
      ['Kubernetes', 0.6], ['Docker', 0.55], ['AWS', 0.52], ['Terraform', 0.5], ['CI/CD', 0.4], ['Linux', 0.35], ['Python', 0.3], ['Azure', 0.25],
      ['GCP', 0.18], ['Go', 0.15],
    ], ['DevOps Engineer', 'DevOps Engineer', 'Site Reliability Engineer', 'Cloud Engineer', 'Platform Engineer', 'Infrastructure Engineer'], interleave(ENTERPRISE, BIG_TECH, SERVICES, GENERAL)),
    other('other', 66, 35, pay(70_000, 92_000, 120_000, 100_000, 72_000, { lo: 45_000 }), [
      ['Salesforce', 0.45], ['SQL', 0.3], ['Tableau', 0.2], ['Power BI', 0.15], ['Python', 0.1],
    ], ['Sales Manager', 'Recruiter', 'Technical Recruiter', 'Account Executive', 'Customer Success Manager', 'Business Analyst', 'Marketing Manager'], interleave(SERVICES, GENERAL, ENTERPRISE)),
  ],
};

/** A role whose figures the reference week does not publish: plausible values, no ordering constraints. */
function other(
  role: string,
  positions: number,
  disclosed: number,
  p: Omit<PayTargets, 'n'>,
  skills: Pairs,
  titles: string[],
  companyPool: readonly string[],
): RoleProfile {
  return {
    role,
    positions,
    disclosed,
    pay: p,
    remote: Math.round(positions * 0.11),
    entry: Math.round(positions * 0.1),
    senior: Math.round(positions * 0.34),
    skills,
    companies: [],
    companyPool,
    metros: [],
    remoteAboveRest: false,
    foreignShare: 0.03,
    titles,
  };
}

// ---- drift: earlier weeks ---------------------------------------------------

/**
 * Week-over-week pay moves of AI/ML Engineer, newest first: the last week pays
 * 3% more than the one before (thousands of disclosed postings: a headline
 * move), the week before that did not move at all (within noise), and so on.
 */
const AI_ML_PAY_STEPS = [0.03, 0, 0.012, -0.008, 0.02, 0, 0.015];

/** Skill share added per week back: skills that rise or fade across the weeks, entering or leaving a top 8. */
const SKILL_TRENDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'mlops-engineer': { Terraform: 0.03, Rust: -0.01 },
  'ai-ml-engineer': { OpenAI: -0.012, PyTorch: 0.006 },
  'ai-software-engineer': { Claude: -0.015, TypeScript: 0.01 },
  'ai-product-manager': { Salesforce: -0.01, OpenAI: 0.012 },
};

const QUARTILE_GRID = 500;

/** Ratio of a role's positions `weeksBack` weeks before the last week to the last week's. */
function positionsFactor(role: string, weeksBack: number): number {
  let f = 1;
  for (let k = 1; k <= weeksBack; k++) {
    const w = wobble(`positions:${role}:${k}`);
    const size = 0.02 + 0.04 * Math.abs(w);
    // Mostly growing over the last eight weeks; further back an unbiased walk, so long runs stay plausible.
    f /= 1 + (w > (k <= 8 ? -0.35 : 0) ? size : -size);
  }
  return f;
}

function payFactor(role: string, weeksBack: number): number {
  let f = 1;
  for (let k = 1; k <= weeksBack; k++) {
    const step = role === 'ai-ml-engineer' && k <= AI_ML_PAY_STEPS.length ? AI_ML_PAY_STEPS[k - 1]! : 0.02 * wobble(`pay:${role}:${k}`);
    f /= 1 + step;
  }
  return f;
}

const grid = (v: number): number => Math.round(v / QUARTILE_GRID) * QUARTILE_GRID;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The profile of the week `weeksBack` weeks before the last demo week (0: the last week itself). */
export function profileForWeek(weeksBack: number, base: DemoProfile = LAST_WEEK): DemoProfile {
  if (!Number.isInteger(weeksBack) || weeksBack < 0) throw new RangeError(`weeksBack must be a whole number >= 0, got ${weeksBack}`);
  if (weeksBack === 0) return base;
  return { roles: base.roles.map((r) => driftRole(r, weeksBack)) };
}

function driftRole(r: RoleProfile, k: number): RoleProfile {
  const key = `${r.role}:${k}`;
  const positions = Math.max(1, Math.round(r.positions * positionsFactor(r.role, k)));
  const scale = positions / r.positions;
  const share = (count: number, salt: string, spread: number) =>
    Math.round(count * scale * (1 + spread * wobble(`${salt}:${key}`)));

  const f = payFactor(r.role, k);
  const p = r.pay;
  const drifted: Omit<PayTargets, 'n'> = {
    ...p,
    p25: grid(p.p25 * f),
    median: grid(p.median * f),
    p75: grid(p.p75 * f),
    mean: Math.round(p.mean * f),
    minMean: Math.round(p.minMean * f),
    lo: Math.round(p.lo * f),
    hi: Math.round(p.hi * f),
  };

  const entry = clamp(share(r.entry, 'entry', 0.05), 0, positions);
  const senior = clamp(share(r.senior, 'senior', 0.05), 0, positions - entry);
  const remote = clamp(share(r.remote, 'remote', 0.06), 0, positions);
  const disclosed = clamp(share(r.disclosed, 'disclosed', 0.02), Math.min(5, r.disclosed), positions);

  const trends = SKILL_TRENDS[r.role] ?? {};
  const skills = r.skills.map(([name, s]) => {
    const moved = s * (1 + 0.03 * wobble(`skill:${name}:${key}`)) + (trends[name] ?? 0) * k;
    return [name, clamp(moved, 0, 1)] as const;
  });

  const scaleNamed = (pairs: Pairs) => pairs.map(([name, c]) => [name, Math.max(1, Math.round(c * scale))] as const);
  return {
    ...r,
    positions,
    disclosed,
    pay: drifted,
    remote,
    entry,
    senior,
    skills,
    companies: scaleNamed(r.companies),
    metros: scaleNamed(r.metros),
  };
}
