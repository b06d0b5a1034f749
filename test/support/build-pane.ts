import { join } from 'node:path';
import webpack, { type Configuration } from 'webpack';
import { projectRoot } from './project-root';

const ROOT = projectRoot();

/**
 * Builds the pane with webpack's API, as `npm run build:dev` / `npm run build` would, with the given
 * WCF_* variables, into `outputPath` (relative to the project). Resolves with webpack's errors, if any.
 */
export async function buildPane(options: {
  mode: 'development' | 'production';
  env: Record<string, string>;
  outputPath: string;
  /** Modules swapped for others (absolute paths), e.g. a benchmark's older plan: `{ [module]: replacement }`. */
  replace?: Record<string, string>;
  /**
   * Compile a development configuration (its WCF_DEV_TOKEN allowed) as webpack's production mode
   * does: React's production build, minified. What a benchmark times: React's development build
   * does several times the work per render, which Outlook's users never run.
   */
  optimise?: boolean;
}): Promise<void> {
  const saved = { ...process.env };
  // A pane built for tests, screenshots or benchmarks never asks Microsoft's sign-in service: a closed
  // loopback port unless the caller points it at a stand-in.
  Object.assign(process.env, { WCF_ENTRA_URL: 'http://127.0.0.1:9' }, options.env);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS, as the Office template's is
    const factory = require(join(ROOT, 'webpack.config.js')) as (
      env: object,
      argv: object,
    ) => Promise<Configuration>;
    const config = await factory(
      { WEBPACK_BUILD: true, outputPath: options.outputPath },
      { mode: options.mode },
    );
    const replacements = Object.entries(options.replace ?? {}).map(
      ([module, replacement]) =>
        new webpack.NormalModuleReplacementPlugin(
          new RegExp(`${module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(\\.js|\\.ts)?$`),
          replacement,
        ),
    );
    const compiler = webpack({
      ...config,
      plugins: [...(config.plugins ?? []), ...replacements],
      mode: options.optimise ? 'production' : options.mode,
      context: ROOT,
      devtool: false,
      infrastructureLogging: { level: 'error' },
    });
    await new Promise<void>((resolve, reject) => {
      compiler.run((error, stats) => {
        compiler.close(() => undefined);
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
        else resolve();
      });
    });
  } finally {
    for (const key of Object.keys(options.env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
