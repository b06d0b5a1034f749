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
}): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, options.env);
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
      mode: options.mode,
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
