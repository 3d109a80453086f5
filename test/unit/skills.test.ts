import { describe, expect, it } from 'vitest';
import { canonicalSkill, extractSkills, normalizeSkills } from '../../src/postings/skills.ts';

describe('canonicalSkill', () => {
  it('respells known skills and their aliases', () => {
    expect(canonicalSkill('python')).toBe('Python');
    expect(canonicalSkill('rag')).toBe('RAG');
    expect(canonicalSkill('Amazon Web Services')).toBe('AWS');
    expect(canonicalSkill('k8s')).toBe('Kubernetes');
    expect(canonicalSkill('Google Cloud')).toBe('GCP');
    expect(canonicalSkill('Microsoft Azure')).toBe('Azure');
    expect(canonicalSkill('Open AI')).toBe('OpenAI');
    expect(canonicalSkill('Lang Chain')).toBe('LangChain');
    expect(canonicalSkill('LLM prompt design')).toBe('Prompt Engineering');
    expect(canonicalSkill('vector embeddings')).toBe('Embeddings');
    expect(canonicalSkill('Hugging  Face')).toBe('Hugging Face');
    expect(canonicalSkill('scikit learn')).toBe('scikit-learn');
    expect(canonicalSkill('golang')).toBe('Go');
    expect(canonicalSkill('go')).toBe('Go');
    expect(canonicalSkill('R')).toBe('R');
    expect(canonicalSkill('c++')).toBe('C++');
  });

  it('returns undefined for unknown or empty input', () => {
    expect(canonicalSkill('Underwater Basket Weaving')).toBeUndefined();
    expect(canonicalSkill('   ')).toBeUndefined();
  });

  it('keeps the exact spellings the reference figures and demo data rely on', () => {
    const names = ['Python', 'RAG', 'AWS', 'Kubernetes', 'Docker', 'GCP', 'Azure', 'Rust', 'Prompt Engineering', 'Embeddings', 'Gemini', 'Claude', 'LangChain', 'OpenAI', 'Salesforce'];
    for (const name of names) {
      expect(canonicalSkill(name)).toBe(name);
      expect(canonicalSkill(name.toLowerCase())).toBe(name);
    }
  });
});

describe('normalizeSkills', () => {
  it('canonicalises, de-duplicates case-insensitively and keeps first-seen order', () => {
    expect(normalizeSkills(['python', ' Rag ', 'aws', 'PYTHON', 'Amazon Web Services', 'langchain'])).toEqual(['Python', 'RAG', 'AWS', 'LangChain']);
  });

  it('keeps unknown skills as written (trimmed, spaces collapsed, never re-capitalised), and drops empty ones', () => {
    expect(normalizeSkills(['  vector   search ', '', 'GraphQL', 'Vector Search'])).toEqual(['vector search', 'GraphQL']);
  });

  // Display names (docs/methodology.md, "Skill display names"): dictionary skills take the
  // dictionary's spelling whatever the feed wrote; unknown ones keep the feed's spelling.
  const spellings: [written: string, stored: string][] = [
    ['dbt', 'dbt'],
    ['DBT', 'dbt'],
    ['Dbt', 'dbt'],
    ['spacy', 'spaCy'],
    ['SpaCy', 'spaCy'],
    ['spaCy', 'spaCy'],
    ['pytorch', 'PyTorch'],
    ['weaviate', 'weaviate'],
    ['Weaviate', 'Weaviate'],
    ['gRPC', 'gRPC'],
    ['eBPF', 'eBPF'],
  ];
  it.each(spellings)('%s is stored as %s', (written, stored) => {
    expect(normalizeSkills([written])).toEqual([stored]);
  });

  it('strips control characters from names', () => {
    expect(normalizeSkills(['foo\u001fbar'])).toEqual(['foo bar']);
  });
});

describe('extractSkills', () => {
  it('finds aliases on word boundaries, in order of first mention', () => {
    const text = 'Build RAG pipelines in Python on k8s with Amazon Web Services, Google Cloud and Microsoft Azure; Open AI, Lang Chain, LLM prompt design and vector embeddings.';
    expect(extractSkills(text)).toEqual(['RAG', 'Python', 'Kubernetes', 'AWS', 'GCP', 'Azure', 'OpenAI', 'LangChain', 'Prompt Engineering', 'Embeddings']);
  });

  it('spells RAG out or in capitals only', () => {
    expect(extractSkills('retrieval-augmented generation')).toEqual(['RAG']);
    expect(extractSkills('Retrieval Augmented Generation')).toEqual(['RAG']);
    expect(extractSkills('a rag doll, dragging storage')).toEqual([]);
  });

  it('does not read short ambiguous words as skills', () => {
    expect(extractSkills('Go to market with R and D; rust-proof coatings; a spark of joy; airflow in the data centre')).toEqual([]);
    expect(extractSkills('Services written in Golang and the Go language')).toEqual(['Go']);
    expect(extractSkills('Rust and Spark')).toEqual(['Rust', 'Spark']);
  });

  it('respects word boundaries: Java is not JavaScript, SQL is not inside PostgreSQL', () => {
    expect(extractSkills('JavaScript')).toEqual(['JavaScript']);
    expect(extractSkills('PostgreSQL and NoSQL')).toEqual(['PostgreSQL']);
    expect(extractSkills('Java, SQL')).toEqual(['Java', 'SQL']);
  });

  it('handles symbols and flexible spacing', () => {
    expect(extractSkills('C++ and CI/CD, fine tuning, finetuning, scikit-learn, HuggingFace')).toEqual(['C++', 'CI/CD', 'Fine-tuning', 'scikit-learn', 'Hugging Face']);
  });

  it('returns canonical names for vendor models and platforms', () => {
    expect(extractSkills('Experience with Gemini, Claude and OpenAI models; Salesforce integration; Docker')).toEqual(['Gemini', 'Claude', 'OpenAI', 'Salesforce', 'Docker']);
  });
});
