// The skill dictionary: one canonical display name per skill and the
// spellings feeds use for it. Pure: no I/O.
//
// - canonicalSkill / normalizeSkills read a skills *list* from a feed, where a
//   cell is known to name a skill, so every spelling (even "R", "Go", "rag")
//   is looked up case-insensitively.
// - extractSkills reads free text (title + description), where short words
//   are ambiguous, so only `text` spellings (case-insensitive) and `exact`
//   spellings (case-sensitive) are searched, always on word boundaries:
//   "Go" only as "Golang" / "Go language"; "R" never; "RAG" only in capitals
//   or spelled out; "Rust", "Spark", "Airflow" only capitalised.
//
// The canonical names used by the reference figures ("Python", "RAG", "AWS",
// "Kubernetes", "Docker", "GCP", "Azure", "Rust", "Prompt Engineering",
// "Embeddings", "Gemini", "Claude", "LangChain", "OpenAI", "Salesforce") are
// relied on by the demo data; do not respell them.

export interface SkillDef {
  /** Canonical display name. */
  name: string;
  /** Extra spellings accepted in a skills list, not searched in free text. */
  listOnly?: string[];
  /** Spellings searched in free text case-insensitively (also accepted in lists). */
  text?: string[];
  /** Spellings searched in free text case-sensitively (also accepted in lists). */
  exact?: string[];
}

// In free-text spellings a space matches any run of spaces or hyphens and a
// hyphen matches a hyphen, a space or nothing ("fine-tuning", "fine tuning",
// "finetuning").
export const SKILLS: readonly SkillDef[] = [
  { name: 'Python', text: ['python', 'python3'] },
  { name: 'RAG', exact: ['RAG'], text: ['retrieval-augmented generation', 'retrieval augmented generation'], listOnly: ['rag'] },
  { name: 'AWS', exact: ['AWS'], text: ['amazon web services'], listOnly: ['aws cloud'] },
  { name: 'Kubernetes', text: ['kubernetes', 'k8s'] },
  { name: 'Docker', text: ['docker'] },
  { name: 'GCP', text: ['gcp', 'google cloud', 'google cloud platform'] },
  { name: 'Azure', text: ['microsoft azure', 'azure'] },
  { name: 'Rust', exact: ['Rust'], listOnly: ['rust lang', 'rustlang'] },
  {
    name: 'Prompt Engineering',
    text: ['prompt engineering', 'prompt design', 'llm prompt design', 'prompt engineer', 'prompt engineers'],
  },
  { name: 'Embeddings', text: ['embeddings', 'vector embeddings', 'text embeddings', 'embedding model', 'embedding models'] },
  { name: 'Gemini', exact: ['Gemini'], listOnly: ['google gemini'] },
  { name: 'Claude', exact: ['Claude'], listOnly: ['anthropic claude'] },
  { name: 'LangChain', text: ['langchain', 'lang chain'] },
  { name: 'OpenAI', text: ['openai', 'open ai', 'openai api'] },
  { name: 'Salesforce', text: ['salesforce'] },
  { name: 'PyTorch', text: ['pytorch'], listOnly: ['torch'] },
  { name: 'TensorFlow', text: ['tensorflow'] },
  { name: 'Keras', text: ['keras'] },
  { name: 'JAX', exact: ['JAX'] },
  { name: 'scikit-learn', text: ['scikit-learn', 'sklearn'] },
  { name: 'Hugging Face', text: ['hugging face', 'huggingface'] },
  { name: 'Transformers', text: ['transformers', 'transformer models'] },
  { name: 'LlamaIndex', text: ['llamaindex', 'llama index', 'llama_index'] },
  { name: 'Vector Databases', text: ['vector database', 'vector databases', 'vector db', 'vector dbs', 'vector store', 'vector stores'] },
  { name: 'Pinecone', text: ['pinecone'] },
  { name: 'Fine-tuning', text: ['fine-tuning', 'fine-tune', 'fine-tuned', 'lora'] },
  { name: 'Computer Vision', text: ['computer vision'] },
  { name: 'NLP', text: ['nlp', 'natural language processing'] },
  { name: 'MLOps', text: ['mlops', 'ml ops'] },
  { name: 'SQL', text: ['sql'] },
  { name: 'PostgreSQL', text: ['postgresql', 'postgres'] },
  { name: 'Spark', exact: ['Spark', 'PySpark'], text: ['apache spark', 'pyspark'] },
  { name: 'Databricks', text: ['databricks'] },
  { name: 'Snowflake', exact: ['Snowflake'] },
  { name: 'Airflow', exact: ['Airflow'], text: ['apache airflow'] },
  { name: 'MLflow', text: ['mlflow'] },
  { name: 'Kubeflow', text: ['kubeflow'] },
  { name: 'Terraform', text: ['terraform'] },
  { name: 'Kafka', text: ['kafka', 'apache kafka'] },
  { name: 'Java', text: ['java'] },
  { name: 'Scala', exact: ['Scala'] },
  { name: 'TypeScript', text: ['typescript'] },
  { name: 'JavaScript', text: ['javascript'] },
  { name: 'Go', text: ['golang', 'go language', 'go programming language'], listOnly: ['go', 'go lang'] },
  { name: 'C++', text: ['c++', 'cpp'] },
  { name: 'CUDA', exact: ['CUDA'] },
  { name: 'R', listOnly: ['r', 'r language', 'r programming'] },
  { name: 'React', exact: ['React'], listOnly: ['react.js', 'reactjs'] },
  { name: 'Node.js', text: ['node.js', 'nodejs'] },
  { name: 'Linux', text: ['linux'] },
  { name: 'Git', exact: ['Git'] },
  { name: 'CI/CD', text: ['ci/cd', 'cicd'] },
  { name: 'Tableau', text: ['tableau'] },
  { name: 'Power BI', text: ['power bi', 'powerbi'] },
  { name: 'dbt', text: ['dbt', 'data build tool'] },
  { name: 'spaCy', text: ['spacy'] },
];

/** Lookup key: case-, space-, hyphen-, dot- and underscore-insensitive ("Lang Chain" = "langchain"). */
function keyOf(s: string): string {
  return s.toLowerCase().replace(/[\s\-_.]+/g, '');
}

const byKey = new Map<string, string>();
for (const def of SKILLS) {
  for (const spelling of [def.name, ...(def.listOnly ?? []), ...(def.text ?? []), ...(def.exact ?? [])]) {
    const k = keyOf(spelling);
    const prev = byKey.get(k);
    if (prev !== undefined && prev !== def.name) throw new Error(`skill spelling "${spelling}" names both ${prev} and ${def.name}`);
    byKey.set(k, def.name);
  }
}

/** The canonical name of a skill as written in a skills list, or undefined when it is not in the dictionary. */
export function canonicalSkill(raw: string): string | undefined {
  const k = keyOf(raw.trim());
  return k === '' ? undefined : byKey.get(k);
}

const MAX_SKILL_LENGTH = 60;

/**
 * A skills list in canonical names: dictionary skills respelled ("DBT" ->
 * "dbt", "Spacy" -> "spaCy"), unknown ones kept as written, only trimmed (never
 * re-capitalised: the snapshot shows the spelling most postings use, see
 * docs/methodology.md), duplicates (case-insensitive) dropped, first
 * occurrence order kept, empty entries dropped.
 */
export function normalizeSkills(list: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    // Control characters never belong in a skill (the bulk upsert also uses one as a separator).
    const cleaned = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
    if (cleaned === '') continue;
    const name = canonicalSkill(cleaned) ?? cleaned.slice(0, MAX_SKILL_LENGTH).trim();
    const k = name.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(name);
  }
  return out;
}

function spellingPattern(spelling: string): string {
  return spelling
    .split('')
    .map((ch) => {
      if (ch === ' ') return '[\\s-]+';
      if (ch === '-') return '[\\s-]?';
      return ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    })
    .join('');
}

// Word boundaries that also work next to symbols ("C++", "CI/CD", "Node.js").
function combined(spellings: string[], flags: string): RegExp | undefined {
  if (spellings.length === 0) return undefined;
  const alternatives = [...new Set(spellings)].sort((a, b) => b.length - a.length).map(spellingPattern);
  return new RegExp(`(?<![\\p{L}\\p{N}_+#])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_+#])`, flags);
}

const insensitive = combined(SKILLS.flatMap((d) => d.text ?? []), 'giu');
const sensitive = combined(SKILLS.flatMap((d) => d.exact ?? []), 'gu');

/**
 * Dictionary skills named in free text (a title and description), canonical,
 * in order of first mention, without duplicates.
 */
export function extractSkills(text: string): string[] {
  if (!text) return [];
  const found = new Map<string, number>();
  for (const re of [insensitive, sensitive]) {
    if (!re) continue;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const name = byKey.get(keyOf(m[0]));
      if (name === undefined) continue;
      const prev = found.get(name);
      if (prev === undefined || m.index < prev) found.set(name, m.index);
    }
  }
  return [...found.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name);
}
