// Seniority of a posting (docs/methodology.md, "Seniority"): the feed's value when we can read
// it, else words in the title. Pure.
//
// Decisions:
// - Title words count only as whole words: "Senior" yes, "Seniority" no;
//   "Staff" yes, "Staffing" no; "Intern" yes, "Internal" no.
// - Senior words are checked before entry words: "Senior Associate" and
//   "Associate Principal Scientist" are senior.
// - "Lead" means a level ("Lead Engineer", "Tech Lead"), except in "lead
//   generation" / "lead gen", which is a sales function, not a level:
//   "Lead Generation Specialist" is mid.
// - A feed value we cannot read (empty, "Mid-Senior level", "n/a") falls back
//   to the title; it never rejects the row.

export type Seniority = 'entry' | 'mid' | 'senior';

const FEED_VALUES: Record<string, Seniority> = {
  entry: 'entry',
  entrylevel: 'entry',
  junior: 'entry',
  jr: 'entry',
  intern: 'entry',
  internship: 'entry',
  graduate: 'entry',
  newgrad: 'entry',
  associate: 'entry',
  trainee: 'entry',
  apprentice: 'entry',
  mid: 'mid',
  midlevel: 'mid',
  middle: 'mid',
  intermediate: 'mid',
  regular: 'mid',
  experienced: 'mid',
  senior: 'senior',
  seniorlevel: 'senior',
  sr: 'senior',
  staff: 'senior',
  principal: 'senior',
  lead: 'senior',
  director: 'senior',
  executive: 'senior',
  distinguished: 'senior',
};

const SENIOR_TITLE = /(?<![\p{L}\p{N}])(senior|sr\.?|staff|principal|lead(?![\s-]+gen(eration)?(?![\p{L}])))(?![\p{L}\p{N}])/iu;
const ENTRY_TITLE = /(?<![\p{L}\p{N}])(junior|jr\.?|entry|associate|intern|internship|graduate|new grad|trainee|apprentice)(?![\p{L}\p{N}])/iu;

/** The feed's seniority value in our three levels, or undefined when it is empty or unreadable. */
export function seniorityFromFeed(feedValue: string | undefined | null): Seniority | undefined {
  if (feedValue === undefined || feedValue === null) return undefined;
  const key = String(feedValue).toLowerCase().replace(/[\s\-_.]+/g, '');
  return key === '' ? undefined : FEED_VALUES[key];
}

/** Seniority from the title alone: senior words, then entry words, else mid. */
function seniorityFromTitle(title: string): Seniority {
  if (SENIOR_TITLE.test(title)) return 'senior';
  if (ENTRY_TITLE.test(title)) return 'entry';
  return 'mid';
}

export function seniorityFrom(feedValue: string | undefined | null, title: string): Seniority {
  return seniorityFromFeed(feedValue) ?? seniorityFromTitle(title);
}
