import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout's root (where package.json is), from test/support or its compiled copy in build/. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'webpack.config.js'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the project root (webpack.config.js) above ' + __dirname);
    dir = parent;
  }
  return dir;
}
