// The role catalog: the roles we track, the title patterns that find them
// (tried in order; the first match wins), and editorial text in our own words.
// A title that matches nothing is role `other`, counted in the week's total only.

type Leans = 'applied' | 'infrastructure' | 'product' | 'research' | 'data';

export interface Role {
  slug: string;
  name: string;
  /** Tried in catalog order; the first role with a matching pattern wins. */
  patterns: RegExp[];
  leans: Leans;
  /** What the work centres on, one sentence. */
  focus: string;
  /** Where people in the role usually go next. */
  careerPath: string;
  /** The usual ways into the role. */
  howToGetIn: string;
}

const OTHER = 'other';

// Order matters: specific roles before the broad AI/ML engineer catch-all
// ("MLOps Engineer" must not become "ML Engineer"; "AI Product Manager" must
// not become "AI Engineer").
export const ROLES: readonly Role[] = [
  {
    slug: 'prompt-engineer',
    name: 'Prompt Engineer',
    patterns: [/\bprompt\s*(engineer|engineering|designer|specialist|architect)\b/i, /\bllm\s+prompt\b/i],
    leans: 'applied',
    focus: 'Writing, testing and versioning the instructions, examples and context that make a language model give useful, repeatable answers, and measuring whether they do.',
    careerPath: 'The title is young and often folds into broader work: LLM application engineering, evaluation and AI safety teams, or AI product roles for those who enjoy the user side.',
    howToGetIn: 'People arrive from writing, analysis, support and software alike; what gets them hired is evidence: a set of prompt experiments with scored results, a small evaluation harness, and one LLM tool that real users touched.',
  },
  {
    slug: 'mlops-engineer',
    name: 'MLOps Engineer',
    patterns: [
      /\bml\s*ops\b/i,
      /\bllm\s*ops\b/i,
      /\bmachine learning (operations|platform|infrastructure)\b/i,
      /\b(ml|ai) (platform|infrastructure|infra) engineer/i,
    ],
    leans: 'infrastructure',
    focus: 'Keeping models alive in production: training and release pipelines, serving, monitoring for drift and cost, and the cloud and container platform underneath it all.',
    careerPath: 'Senior engineers own a whole ML platform; from there the paths split toward staff infrastructure work, ML platform leadership or running an ML engineering group.',
    howToGetIn: 'The shortest road starts in DevOps, SRE or backend work: keep the automation habits and add model serving, experiment tracking, feature stores and GPU scheduling.',
  },
  {
    slug: 'ai-product-manager',
    name: 'AI Product Manager',
    patterns: [
      /\b(ai|ml|machine learning|genai|generative ai|llm|artificial intelligence)\b.*\bproduct (manager|owner|lead)\b/i,
      /\bproduct (manager|owner|lead)\b.*\b(ai|ml|machine learning|genai|generative ai|llm|artificial intelligence)\b/i,
    ],
    leans: 'product',
    focus: 'Choosing which AI features are worth building, for whom and how success will be measured, then steering engineers, data people and designers until they ship.',
    careerPath: 'Strong AI product managers move up to group or director roles over an AI portfolio, and some become the first product hire at an AI start-up.',
    howToGetIn: 'Most come from product management and learn model limits, evaluation and data needs; engineers and data scientists who enjoy customer work make the move the other way.',
  },
  {
    slug: 'ai-software-engineer',
    name: 'AI Software Engineer',
    patterns: [
      /\b(ai|genai|generative ai|llm)\s+(software|application|applications|full[- ]?stack|backend)\s+(engineer|developer)\b/i,
      /\bsoftware (engineer|developer)\b.*\b(ai|genai|generative ai|llm|agents?)\b/i,
      /\b(ai|llm)\s+(agent|agents)\s+(engineer|developer)\b/i,
    ],
    leans: 'applied',
    focus: 'Building the product code around models: APIs, retrieval, agents, streaming interfaces and the guard rails that make probabilistic output safe to ship.',
    careerPath: 'Growth runs through senior and staff engineer on AI products, tech lead of an applied AI team, or AI architect for those who like system design.',
    howToGetIn: 'Software engineers get in by adding LLM APIs, retrieval, structured output and evaluation to a toolkit they already have, and by shipping one AI feature end to end.',
  },
  {
    slug: 'ml-research-scientist',
    name: 'ML Research Scientist',
    patterns: [/\bresearch (scientist|engineer)\b/i, /\b(ai|ml|machine learning) researcher\b/i, /\bapplied scientist\b/i],
    leans: 'research',
    focus: 'Inventing and testing new architectures, training methods and evaluations, and turning the results into papers, patents or model improvements that ship.',
    careerPath: 'Scientists advance to senior and principal research roles or research lead; a few leave to found companies around what they discovered.',
    howToGetIn: 'The usual ticket is a PhD or a record of publications; engineers with strong open-source research code and reproductions of recent papers also get hired.',
  },
  {
    slug: 'data-scientist',
    name: 'Data Scientist',
    patterns: [/\bdata scien(tist|ce)\b/i, /\bdecision scientist\b/i],
    leans: 'data',
    focus: 'Turning data into decisions: experiments, statistical models, forecasts and analyses that a business actually acts on.',
    careerPath: 'The ladder goes to senior and lead data scientist; side doors open into ML engineering, product analytics leadership or decision science.',
    howToGetIn: 'Analysts, statisticians and quantitative graduates get in with solid SQL and Python and a portfolio of analyses that changed a decision.',
  },
  {
    slug: 'data-engineer',
    name: 'Data Engineer',
    patterns: [/\bdata (engineer|platform engineer|pipeline engineer)\b/i, /\b(etl|analytics) engineer\b/i],
    leans: 'data',
    focus: 'Building and running the pipelines, warehouses and streams that feed dashboards, analytics and model training with trustworthy data.',
    careerPath: 'Experienced data engineers become data platform leads or architects, and many cross into MLOps because the plumbing is so similar.',
    howToGetIn: 'Backend developers and analysts come in by mastering SQL, an orchestrator, a cloud warehouse and the discipline of testing data like code.',
  },
  {
    slug: 'computer-vision-engineer',
    name: 'Computer Vision Engineer',
    patterns: [/\bcomputer vision\b/i, /\b(cv|vision|perception|imaging) (ml |ai )?engineer\b/i],
    leans: 'applied',
    focus: 'Models that see: detection, segmentation, tracking and 3D perception, tuned to run on real cameras and, often, small edge devices.',
    careerPath: 'Paths lead to perception lead on robotics or autonomy teams, to imaging products in health and industry, or into vision research.',
    howToGetIn: 'Engineers with image-processing and deep-learning projects stand out; a background in robotics, graphics or embedded systems shortens the road.',
  },
  {
    slug: 'nlp-engineer',
    name: 'NLP Engineer',
    patterns: [/\bnlp\b/i, /\bnatural language\b/i, /\b(conversational ai|speech|language model) engineer\b/i],
    leans: 'applied',
    focus: 'Language systems for a domain: classification, extraction, search, speech and the fine-tuning of language models on specialised text.',
    careerPath: 'Much of the field now flows into LLM engineering; others move to applied research or to architect roles for language platforms.',
    howToGetIn: 'Computational linguists who code and engineers with search or text projects get in, today mostly by showing solid LLM and retrieval work.',
  },
  {
    slug: 'ai-architect',
    name: 'AI Architect',
    patterns: [/\b(ai|ml|machine learning|genai|generative ai|llm)\b.*\barchitect\b/i, /\barchitect\b.*\b(ai|ml|genai|llm)\b/i],
    leans: 'infrastructure',
    focus: 'Deciding how AI fits into an organisation\'s systems: platforms, data flows, security, cost and the choice between building and buying.',
    careerPath: 'Architects grow into principal or enterprise architect, head of an AI platform, or a CTO-track role.',
    howToGetIn: 'It is rarely a first job: senior engineers and solution architects step in after designing and shipping several AI systems that are still running.',
  },
  {
    slug: 'devops-engineer',
    name: 'DevOps Engineer',
    patterns: [/\bdev\s*ops\b/i, /\bsite reliability\b/i, /\bsre\b/i, /\b(cloud|platform|infrastructure) engineer\b/i],
    leans: 'infrastructure',
    focus: 'Keeping software shipping and running: CI/CD, infrastructure as code, containers, observability and being on call when it breaks.',
    careerPath: 'Common next steps are SRE or platform engineering lead, cloud architecture, and MLOps for those who want to work closer to models.',
    howToGetIn: 'System administrators and developers get in by automating deployments end to end and running a real service in a public cloud.',
  },
  {
    slug: 'ai-ml-engineer',
    name: 'AI/ML Engineer',
    patterns: [
      /\b(ai|ml)\s*\/\s*(ml|ai)\b/i,
      /\bmachine learning\b/i,
      /\bdeep learning\b/i,
      /\b(ai|ml|genai|generative ai|llm)\s+(engineer|developer|specialist)\b/i,
      /\bartificial intelligence\b/i,
    ],
    leans: 'applied',
    focus: 'Training, fine-tuning and wiring models into products, from data preparation and feature work to evaluation and release.',
    careerPath: 'The track leads to senior, staff and principal ML engineer; around the senior level many branch into MLOps, research engineering, architecture or team management.',
    howToGetIn: 'Software engineers and data scientists get in with strong Python, one cloud, and at least one model they trained, deployed and measured against a baseline.',
  },
];

const bySlug = new Map(ROLES.map((r) => [r.slug, r]));

export function roleBySlug(slug: string): Role | undefined {
  return bySlug.get(slug);
}

/** The role slug for a job title, or `other`. */
export function classifyTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  for (const role of ROLES) {
    if (role.patterns.some((p) => p.test(t))) return role.slug;
  }
  return OTHER;
}
