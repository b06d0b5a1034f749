/**
 * `npm run lint`'s layer check (dependency-cruiser): no import cycle anywhere in `src/`, type-only
 * imports included (`tsPreCompilationDeps`), since a cycle of types is still a cycle of meaning; and
 * the layers of docs/architecture.md, lowest first: core and async import no other part of the
 * project, dns only those two, the engine nothing above it. (Paths match `src/` anywhere, so the
 * fixture in test/fixtures/layer-breach can show a breach fails.)
 */
const above = (layers) => `(^|/)src/(${layers.join('|')})/`;
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A module imports (directly or through others) a module that imports it back. Move the shared types or functions down a layer (see docs on the architecture).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'src/core is the pure core (no DOM, no Office, no network, no Node built-ins): it imports only itself and packages of pure functions.',
      from: { path: '(^|/)src/core/' },
      to: { path: '(^|/)src/(?!core/)' },
    },
    {
      name: 'types-import-nothing',
      severity: 'error',
      comment: 'src/core/types.ts holds the data types every layer builds on: it imports nothing.',
      from: { path: '(^|/)src/core/types\\.ts$' },
      to: {},
    },
    {
      name: 'core-has-no-io',
      severity: 'error',
      comment: 'src/core imports no Node built-in: I/O lives at the edges and is injected.',
      from: { path: '(^|/)src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'async-stands-alone',
      severity: 'error',
      comment: 'src/async holds generic helpers: they know nothing of DNS, the engine or any face.',
      from: { path: '(^|/)src/async/' },
      to: { path: '(^|/)src/(?!async/)' },
    },
    {
      name: 'dns-below-engine',
      severity: 'error',
      comment: 'src/dns holds the transports: they may use the core and async helpers, nothing above.',
      from: { path: '(^|/)src/dns/' },
      to: { path: '(^|/)src/(?!dns/|async/|core/)' },
    },
    {
      name: 'engine-below-faces',
      severity: 'error',
      comment: 'src/engine checks domains for every face: it imports none of them.',
      from: { path: '(^|/)src/engine/' },
      to: {
        path: above([
          'taskpane',
          'cli',
          'collector',
          'live',
          'share',
          'auth',
          'graph',
          'sources',
          'contacts',
          'entra',
        ]),
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
