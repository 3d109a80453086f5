// Words the demo data is made of: metros with their locations, employers,
// seniority words for titles, and description sentences. Pure constants.

export interface MetroDef {
  metro: string;
  /** Location as a feed writes it. */
  location: string;
  /** Relative size in the demo market. */
  weight: number;
  /** Pay currency for postings outside the US (those never count as disclosed USD pay). */
  currency?: string;
}

/** US metros, largest AI job markets first. */
export const US_METROS: readonly MetroDef[] = [
  { metro: 'San Francisco', location: 'San Francisco, CA', weight: 100 },
  { metro: 'New York', location: 'New York, NY', weight: 95 },
  { metro: 'Los Angeles', location: 'Los Angeles, CA', weight: 70 },
  { metro: 'Seattle', location: 'Seattle, WA', weight: 60 },
  { metro: 'Boston', location: 'Boston, MA', weight: 48 },
  { metro: 'Austin', location: 'Austin, TX', weight: 42 },
  { metro: 'San Jose', location: 'San Jose, CA', weight: 40 },
  { metro: 'Washington', location: 'Washington, DC', weight: 38 },
  { metro: 'Chicago', location: 'Chicago, IL', weight: 36 },
  { metro: 'Dallas', location: 'Dallas, TX', weight: 30 },
  { metro: 'Atlanta', location: 'Atlanta, GA', weight: 27 },
  { metro: 'Denver', location: 'Denver, CO', weight: 22 },
  { metro: 'San Diego', location: 'San Diego, CA', weight: 20 },
  { metro: 'Raleigh', location: 'Raleigh, NC', weight: 18 },
  { metro: 'Houston', location: 'Houston, TX', weight: 17 },
  { metro: 'Phoenix', location: 'Phoenix, AZ', weight: 15 },
  { metro: 'Philadelphia', location: 'Philadelphia, PA', weight: 14 },
  { metro: 'Minneapolis', location: 'Minneapolis, MN', weight: 12 },
  { metro: 'Pittsburgh', location: 'Pittsburgh, PA', weight: 11 },
  { metro: 'Salt Lake City', location: 'Salt Lake City, UT', weight: 10 },
  { metro: 'Portland', location: 'Portland, OR', weight: 9 },
  { metro: 'Miami', location: 'Miami, FL', weight: 9 },
  { metro: 'Charlotte', location: 'Charlotte, NC', weight: 8 },
  { metro: 'Nashville', location: 'Nashville, TN', weight: 7 },
  { metro: 'Detroit', location: 'Detroit, MI', weight: 6 },
  { metro: 'Columbus', location: 'Columbus, OH', weight: 6 },
  { metro: 'Baltimore', location: 'Baltimore, MD', weight: 5 },
  { metro: 'St. Louis', location: 'St. Louis, MO', weight: 4 },
  { metro: 'Kansas City', location: 'Kansas City, MO', weight: 4 },
  { metro: 'Madison', location: 'Madison, WI', weight: 3 },
];

/** Postings abroad: counted in positions, never in USD pay. */
export const FOREIGN_METROS: readonly MetroDef[] = [
  { metro: 'London', location: 'London, United Kingdom', weight: 10, currency: 'GBP' },
  { metro: 'Toronto', location: 'Toronto, ON, Canada', weight: 7, currency: 'CAD' },
  { metro: 'Berlin', location: 'Berlin, Germany', weight: 5, currency: 'EUR' },
  { metro: 'Bengaluru', location: 'Bengaluru, India', weight: 5, currency: 'INR' },
];

/** Typical yearly pay in local currency per US dollar of pay, for foreign postings. */
export const LOCAL_PAY_FACTOR: Readonly<Record<string, number>> = { GBP: 0.55, CAD: 0.95, EUR: 0.6, INR: 25 };

export const METRO_BY_NAME: ReadonlyMap<string, MetroDef> = new Map([...US_METROS, ...FOREIGN_METROS].map((m) => [m.metro, m]));

export const REMOTE = 'Remote';

// Employers. None is spelled like a skill in the dictionary, so no employer
// name can turn into a skill.
export const BIG_TECH = [
  'Microsoft', 'Amazon', 'Meta', 'NVIDIA', 'Apple', 'Google', 'IBM', 'Oracle', 'Adobe', 'Intel', 'Cisco', 'Qualcomm', 'AMD',
  'ServiceNow', 'Workday', 'Intuit', 'Uber', 'Airbnb', 'Netflix', 'LinkedIn', 'Pinterest', 'Spotify', 'DoorDash', 'Instacart',
  'Stripe', 'Block', 'Shopify', 'Atlassian', 'Datadog', 'Cloudflare', 'MongoDB', 'Palantir', 'Tesla', 'Dell Technologies',
] as const;
export const AI_LABS = ['Anthropic', 'Scale AI', 'Cohere', 'Perplexity', 'Mistral AI', 'Character.AI', 'Runway', 'Glean', 'Harvey', 'Writer'] as const;
export const SERVICES = [
  'Accenture', 'Deloitte', 'Capgemini', 'Cognizant', 'Infosys', 'KPMG', 'PwC', 'EY', 'Booz Allen Hamilton', 'Leidos', 'Slalom',
  'Insight Global', 'Randstad Digital', 'TEKsystems', 'Robert Half',
] as const;
export const ENTERPRISE = [
  'JPMorgan Chase', 'Capital One', 'Bank of America', 'Wells Fargo', 'Citi', 'Goldman Sachs', 'Morgan Stanley', 'Visa', 'Mastercard',
  'PayPal', 'American Express', 'GEICO', 'Progressive', 'State Farm', 'UnitedHealth Group', 'CVS Health', 'Humana', 'Walmart',
  'Target', 'Home Depot', 'Verizon', 'AT&T', 'Comcast', 'Disney', 'Boeing', 'Lockheed Martin', 'Northrop Grumman', 'Pfizer',
  'Genentech', 'Johnson & Johnson', 'Mayo Clinic', 'Kaiser Permanente', 'Worldpay', 'Fidelity Investments', 'Charles Schwab',
] as const;
export const STARTUPS = [
  'Openkyber', 'Northwind Labs', 'Brightline AI', 'Vectorly', 'Quantiva', 'Lumen Health AI', 'Cobalt Robotics', 'Fathom Data',
  'Tandem Systems', 'Ardent Analytics', 'Helix Bio AI', 'Sable Security', 'Parallel Works', 'Kestrel Logistics', 'Orbit Retail',
  'Mosaic Finance', 'Pilot Legal AI', 'Juniper Learning', 'Atlas Insurance Tech', 'Beacon Health Data',
] as const;
export const GENERAL = [
  'Robert Bosch', 'Siemens', 'Honeywell', 'General Motors', 'Ford', 'Caterpillar', 'Deere & Company', 'FedEx', 'UPS', 'Marriott',
  'Hilton', 'Nike', 'Starbucks', 'Procter & Gamble', 'PepsiCo', 'Kroger', 'Costco', 'Best Buy', 'Expedia', 'Zillow',
] as const;

/** Words a title starts with for each seniority level (mid postings carry none). */
export const SENIOR_WORDS = ['Senior', 'Senior', 'Senior', 'Staff', 'Lead', 'Principal'] as const;
export const ENTRY_WORDS = ['Junior', 'Associate', 'Entry-Level', 'Graduate'] as const;

/** Description openers; {team} is a short noun phrase, {place} the location or "remotely". */
export const OPENERS = [
  'Join a small team building {team}, working {place}.',
  'We are growing the group that owns {team}; this role is based {place}.',
  'You will help design, ship and run {team}, {place}.',
  'Our work on {team} is expanding and we are hiring {place}.',
  'Work with product and engineering on {team}, {place}.',
] as const;

export const TEAMS: Readonly<Record<string, readonly string[]>> = {
  'prompt-engineer': ['assistant experiences for customers', 'evaluation suites for language model features', 'internal writing tools'],
  'mlops-engineer': ['the model training and serving platform', 'deployment pipelines for models', 'model monitoring and retraining'],
  'ai-ml-engineer': ['models behind search and recommendations', 'forecasting and ranking models', 'model features for our core product'],
  'ai-software-engineer': ['agent features in our product', 'APIs and services around language models', 'assistants used by thousands of customers'],
  'ai-product-manager': ['the roadmap for assistant features', 'generative features across the product', 'our model-powered analytics product'],
  'data-scientist': ['experiments and forecasting', 'pricing and demand models', 'customer analytics'],
  'data-engineer': ['the warehouse and its pipelines', 'event streaming and ingestion', 'data products for analytics teams'],
  'ml-research-scientist': ['new training methods', 'evaluation research', 'model architectures for long contexts'],
  'computer-vision-engineer': ['perception for our devices', 'image understanding models', 'video analytics'],
  'nlp-engineer': ['document understanding', 'search relevance', 'speech and text classification'],
  'ai-architect': ['our enterprise model platform', 'reference designs for customer deployments', 'the company-wide AI platform'],
  'devops-engineer': ['our cloud platform and release pipelines', 'reliability of customer-facing services', 'infrastructure as code across teams'],
  other: ['the sales pipeline for our AI products', 'customer onboarding programs', 'technical hiring programs'],
};

/** Names of several lists taken in turn (a, b, c, a, b, c, ...), without repeats. */
export function interleave(...lists: ReadonlyArray<readonly string[]>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i++) {
    for (const l of lists) {
      const name = l[i];
      if (name !== undefined && !seen.has(name)) {
        seen.add(name);
        out.push(name);
      }
    }
  }
  return out;
}
