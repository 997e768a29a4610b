/**
 * Pulse's layering, checked by `npm run check` (docs/architecture.md): dependencies point inward.
 *
 *   domain   pure rules and types; imports only domain
 *   store    SQL over the schema; imports domain and db
 *   services the use cases (load → decide → store → enqueue); import store, domain, db and the root
 *            helpers. Exception: the PURE presentational modules slack/blocks/** and slack/constants.ts
 *            (Block Kit builders are pure functions of domain data): a service renders the messages it
 *            enqueues in the outbox, in the same transaction as the change they announce.
 *   slack, api, http, jobs  the adapters: parse, call a service, render. They import services, store,
 *            domain and the root (db, config, deps, clock, logger, metrics, i18n), never another
 *            adapter's internals (jobs may use slack/blocks and slack/constants, which are pure).
 *   slack/blocks/**  pure renderers: domain, i18n and other blocks/format modules only.
 *   sandbox/, demo/  the Slack look-alike and the demo data stand beside the product: only the
 *            entry points (src/pulse.ts, src/cli/*) start them.
 */

/** The root modules every layer above the store may use (configuration, wiring, clock, logs, metrics, version). */
const ROOT = '^src/(db/|config\\.ts$|deps\\.ts$|clock\\.ts$|logger\\.ts$|metrics\\.ts$|version\\.ts$|i18n/)';
const PURE_SLACK = '^src/slack/(blocks/|constants\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds the rules and their types: it imports only domain/ (and packages).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'store-imports-domain-and-db',
      comment: 'store/ is SQL over the schema: it imports domain/, db/ and other store/ modules only.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(domain|db|store)/' },
    },
    {
      name: 'services-import-inward',
      comment:
        'services/ are the use cases: store, domain, db and the root helpers, plus the pure Block Kit ' +
        'builders (slack/blocks/**, slack/constants.ts) to render the messages a service enqueues.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: {
        path: '^src/',
        pathNot: [`${ROOT}`, '^src/(services|store|domain)/', PURE_SLACK],
      },
    },
    {
      name: 'blocks-are-pure',
      comment: 'slack/blocks/** render domain data: domain/, i18n/ and other blocks/format modules only.',
      severity: 'error',
      from: { path: '^src/slack/blocks/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/i18n/', PURE_SLACK] },
    },
    {
      name: 'adapters-import-inward',
      comment:
        'slack, api, http, jobs and connectors are adapters: services, store, domain and the root, never another ' +
        "adapter's internals. jobs may use the pure slack/blocks and slack/constants; api registers its " +
        'routes on the http server (http/server.ts).',
      severity: 'error',
      from: { path: '^src/(slack|api|http|jobs|connectors)/' },
      to: {
        path: '^src/',
        pathNot: [
          ROOT,
          '^src/(services|store|domain)/',
          // each adapter its own folder
          '^src/$1/',
          // pure presentational modules
          PURE_SLACK,
          // the HTTP server's types and its bearer check, which api's routes are registered with
          '^src/http/(server|bearer)\\.ts$',
          // the schedule table and its cron arithmetic, which GET /schedules reports (see below)
          '^src/jobs/scheduler\\.ts$',
          // a connector's sync, which the schedule table starts
          '^src/connectors/[^/]+/sync\\.ts$',
        ],
      },
    },
    {
      name: 'only-ops-reads-the-schedule',
      comment:
        'jobs/scheduler.ts is the schedule table: GET /schedules (http/) reports it; slack and api never ' +
        'reach into jobs/ (they call the services the schedules call).',
      severity: 'error',
      from: { path: '^src/(slack|api|connectors)/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'sandbox-and-demo-beside-the-product',
      comment:
        'The sandbox (Slack look-alike) and the demo data stand beside the product (sandbox/, demo/): ' +
        'only the entry points (src/pulse.ts, src/cli/*) start them.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/pulse\\.ts$', '^src/cli/'],
      },
      to: { path: '^(sandbox|demo)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle within src/ has no inside and outside: break it by moving the shared part inward.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'An import that resolves to nothing (a typo, a moved file) fails here before it fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
