// Builds the two bundles the extension ships (the extension host bundle and the webview bundle)
// and, with --tests, the integration suites that run inside VS Code's extension host.
//   node scripts/build.mjs [--production] [--watch] [--tests]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: production ? 'none' : 'inline',
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ws (the run-stream socket) loads these optional native speed-ups when present; without
    // them it uses its own JavaScript, so they stay out of the bundle.
    external: ['vscode', 'bufferutil', 'utf-8-validate'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (tests) {
  const suites = fs.readdirSync('test/integration', { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.ts') && !file.startsWith('runIn') && !file.includes('/runIn') && file !== 'helpers.ts')
    .map((file) => path.join('test/integration', file));
  targets.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: suites,
    outdir: 'out/test/integration',
    outbase: 'test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // mocha loads reporters dynamically, so it is required from node_modules at run time.
    external: ['vscode', 'mocha'],
  });
}

if (production) {
  // A development build leaves source maps beside the bundles; none may ship.
  for (const map of ['dist/extension.js.map', 'media/webview.js.map']) fs.rmSync(map, { force: true });
}

/** Lines the "npm: watch" task's problem matcher in .vscode/tasks.json waits for. */
const watchReporter = {
  name: 'watch-reporter',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

if (watch) {
  const contexts = await Promise.all(targets.map((options) => esbuild.context({ ...options, plugins: [watchReporter] })));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  const started = Date.now();
  await Promise.all(targets.map((options) => esbuild.build(options)));
  console.log(`build: ${targets.length} bundle(s) in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}
