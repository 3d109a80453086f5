// The role catalog: the roles we track, the title patterns that find them
// (tried in order; the first match wins), and editorial text in our own words.
// A title that matches nothing is role `other`, counted in the week's total only.

export type Leans = 'applied' | 'infrastructure' | 'product' | 'research' | 'data';

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

export const OTHER = 'other';

// Order matters: specific roles before the broad AI/ML engineer catch-all
// ("MLOps Engineer" must not become "ML Engineer"; "AI Product Manager" must
// not become "AI Engineer").
export const ROLES: readonly Role[] = [
  {
    slug: 'prompt-engineer',
    name: 'Prompt Engineer',
    patterns: [/\bprompt\s*(engineer|engineering|designer|specialist|architect)\b/i, /\bllm\s+prompt\b/i],
    leans: 'applied',
    focus: 'Designing, testing and versioning the instructions and context that steer large language models toward reliable output.',
    careerPath: 'Often grows into LLM application engineering, AI product work or evaluation and safety roles.',
    howToGetIn: 'Writers, analysts and developers who can show systematic prompt experiments, evaluations and a small shipped LLM tool.',
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
    focus: 'Running models in production: training pipelines, deployment, monitoring, and the cloud and container platforms underneath.',
    careerPath: 'Leads to ML platform lead, staff infrastructure engineer or head of ML engineering.',
    howToGetIn: 'Usually from DevOps, SRE or backend work, adding model serving, feature stores and experiment tracking.',
  },
  {
    slug: 'ai-product-manager',
    name: 'AI Product Manager',
    patterns: [
      /\b(ai|ml|machine learning|genai|generative ai|llm|artificial intelligence)\b.*\bproduct (manager|owner|lead)\b/i,
      /\bproduct (manager|owner|lead)\b.*\b(ai|ml|machine learning|genai|generative ai|llm|artificial intelligence)\b/i,
    ],
    leans: 'product',
    focus: 'Deciding what AI features to build, for whom and how to measure them, and steering engineering and data teams to ship them.',
    careerPath: 'Moves toward group product manager, director of AI products or a founding product role.',
    howToGetIn: 'Product managers who learn model limits and evaluation, or engineers and data scientists who move toward customers.',
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
    focus: 'Building product software around models: APIs, retrieval, agents and the user-facing code that ships AI features.',
    careerPath: 'Leads to senior or staff engineer on AI products, tech lead of an AI team or AI architect.',
    howToGetIn: 'Software engineers who add LLM APIs, retrieval and evaluation to their toolkit and ship something real.',
  },
  {
    slug: 'ml-research-scientist',
    name: 'ML Research Scientist',
    patterns: [/\bresearch (scientist|engineer)\b/i, /\b(ai|ml|machine learning) researcher\b/i, /\bapplied scientist\b/i],
    leans: 'research',
    focus: 'Inventing and testing new model architectures, training methods and evaluations, and publishing or shipping the results.',
    careerPath: 'Progresses to senior or principal scientist, research lead or a founding technical role.',
    howToGetIn: 'Mostly a PhD or equivalent publications; strong engineers with open-source research work also get in.',
  },
  {
    slug: 'data-scientist',
    name: 'Data Scientist',
    patterns: [/\bdata scien(tist|ce)\b/i, /\bdecision scientist\b/i],
    leans: 'data',
    focus: 'Turning data into decisions: experiments, statistical models and forecasts that a business acts on.',
    careerPath: 'Leads to senior or lead data scientist, ML engineer or analytics leadership.',
    howToGetIn: 'Analysts, statisticians and quantitative graduates with SQL, Python and a portfolio of analyses.',
  },
  {
    slug: 'data-engineer',
    name: 'Data Engineer',
    patterns: [/\bdata (engineer|platform engineer|pipeline engineer)\b/i, /\b(etl|analytics) engineer\b/i],
    leans: 'data',
    focus: 'Building the pipelines, warehouses and streaming systems that feed analytics and model training.',
    careerPath: 'Grows into senior data engineer, data platform lead or MLOps.',
    howToGetIn: 'Backend developers and analysts who master SQL, orchestration and a cloud warehouse.',
  },
  {
    slug: 'computer-vision-engineer',
    name: 'Computer Vision Engineer',
    patterns: [/\bcomputer vision\b/i, /\b(cv|vision|perception|imaging) (ml |ai )?engineer\b/i],
    leans: 'applied',
    focus: 'Models that see: detection, segmentation, tracking and 3D perception, tuned for cameras and edge devices.',
    careerPath: 'Leads to perception lead, robotics or autonomy roles, or research.',
    howToGetIn: 'Engineers with image-processing and deep-learning projects; robotics and graphics backgrounds help.',
  },
  {
    slug: 'nlp-engineer',
    name: 'NLP Engineer',
    patterns: [/\bnlp\b/i, /\bnatural language\b/i, /\b(conversational ai|speech|language model) engineer\b/i],
    leans: 'applied',
    focus: 'Language systems: text classification, extraction, search, speech and LLM fine-tuning for a domain.',
    careerPath: 'Moves toward LLM engineering, applied research or AI architect roles.',
    howToGetIn: 'Linguists who code and engineers with text or search projects, now mostly through LLM work.',
  },
  {
    slug: 'ai-architect',
    name: 'AI Architect',
    patterns: [/\b(ai|ml|machine learning|genai|generative ai|llm)\b.*\barchitect\b/i, /\barchitect\b.*\b(ai|ml|genai|llm)\b/i],
    leans: 'infrastructure',
    focus: 'Designing how AI fits into an organisation\'s systems: platforms, data flows, security and build-or-buy choices.',
    careerPath: 'Leads to principal architect, head of AI platform or CTO-track roles.',
    howToGetIn: 'Senior engineers and solution architects with several shipped AI systems behind them.',
  },
  {
    slug: 'devops-engineer',
    name: 'DevOps Engineer',
    patterns: [/\bdev\s*ops\b/i, /\bsite reliability\b/i, /\bsre\b/i, /\b(cloud|platform|infrastructure) engineer\b/i],
    leans: 'infrastructure',
    focus: 'Keeping software shipping and running: CI/CD, infrastructure as code, containers, observability and on-call.',
    careerPath: 'Leads to SRE lead, platform engineering, MLOps or cloud architecture.',
    howToGetIn: 'System administrators and developers who automate deployments and run services in a cloud.',
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
    focus: 'Training, fine-tuning and integrating models into products, from data preparation to evaluation.',
    careerPath: 'Leads to senior or staff ML engineer, MLOps, research engineering or AI architect.',
    howToGetIn: 'Software engineers and data scientists with shipped model work, strong Python and one cloud.',
  },
];

const bySlug = new Map(ROLES.map((r) => [r.slug, r]));

export function roleBySlug(slug: string): Role | undefined {
  return bySlug.get(slug);
}

export function isTrackedRole(slug: string): boolean {
  return bySlug.has(slug);
}

/** The role slug for a job title, or `other`. */
export function classifyTitle(title: string): string {
  const t = title.replace(/\s+/g, ' ').trim();
  for (const role of ROLES) {
    if (role.patterns.some((p) => p.test(t))) return role.slug;
  }
  return OTHER;
}
