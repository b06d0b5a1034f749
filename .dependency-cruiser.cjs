/**
 * `npm run lint`'s layer check (dependency-cruiser): no import cycle anywhere in `src/`, type-only
 * imports included (`tsPreCompilationDeps`), since a cycle of types is still a cycle of meaning.
 */
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
