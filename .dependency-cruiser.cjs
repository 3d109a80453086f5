// The import rules of docs/architecture.md ("Imports"), checked by `npm run lint:deps`
// (part of `npm test`). There is no allowance for known violations: a failing rule is a bug.

/** The layers, top to bottom: a module imports from its own layer or the layers below it, never above. */
const LAYERS = [
  { name: 'entry', path: '^(bin/|src/(cli|server|wiring)\\.ts$)' },
  { name: 'jobs', path: '^jobs/' },
  { name: 'web', path: '^src/web/' },
  { name: 'capabilities', path: '^src/(postings|roles|stats|compare|digest|subscribers|delivery|demo|sources|methodology)/' },
  { name: 'ui', path: '^src/ui/' },
  { name: 'foundation', path: '^src/(db/|crypto/|config\\.ts$|log\\.ts$)' },
  { name: 'assets', path: '^templates/' },
];

/**
 * Which capability folders each capability folder imports (`a: [b]`: a may import b, and what b may).
 * Together with the layers this makes every folder cycle impossible; the check below keeps this graph acyclic.
 */
const CAPABILITIES = {
  roles: [],
  delivery: [],
  postings: ['roles'],
  stats: ['postings', 'roles'],
  demo: ['postings', 'stats'],
  compare: ['roles', 'stats'],
  subscribers: ['delivery', 'demo', 'roles'],
  digest: ['compare', 'delivery', 'demo', 'roles', 'stats', 'subscribers'],
  sources: ['delivery', 'demo', 'postings', 'stats'],
  methodology: ['compare', 'postings', 'roles', 'stats'],
};

/** Everything `name` may import, directly or through what it may import; throws on a cycle. */
function reachable(name, seen = []) {
  if (seen.includes(name)) throw new Error(`.dependency-cruiser.cjs: capability cycle ${[...seen, name].join(' -> ')}`);
  return [...new Set(CAPABILITIES[name].flatMap((d) => [d, ...reachable(d, [...seen, name])]))];
}

const layerRules = LAYERS.slice(1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} imports nothing of the layers above it (${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')}).`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(0, i + 1).map((l) => `(${l.path})`).join('|') },
}));

const capabilityRules = Object.keys(CAPABILITIES).map((name) => {
  const others = Object.keys(CAPABILITIES).filter((c) => c !== name && !reachable(name).includes(c));
  return {
    name: `capability-${name}`,
    comment: `src/${name}/ imports only these capabilities: ${reachable(name).join(', ') || 'none'}.`,
    severity: 'error',
    from: { path: `^src/${name}/` },
    to: { path: `^src/(${others.join('|')})/` },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'No module imports itself through others at run time (type-only imports are erased and cannot cycle).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...layerRules,
    ...capabilityRules,
    {
      name: 'no-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc', // TypeScript 7 has no JavaScript compiler API for dependency-cruiser, so it parses with swc
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.json'],
    },
  },
};
