import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resumeResults } from '../../src/cli/results-file';

describe('resumeResults', () => {
  it('reads a file of many chunks line by line, keeps whole lines and cuts the partial one and the summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wcf-resume-'));
    const file = join(dir, 'big.ndjson');
    // ~3 MB: lines straddle the 1 MB reads, some with multi-byte characters.
    const lines = Array.from(
      { length: 30_000 },
      (_, i) =>
        `${JSON.stringify({ domain: `d${i}.test`, displayDomain: `bücher-${i}.test`, records: {}, pad: 'x'.repeat(60) })}\n`,
    );
    await writeFile(file, `${lines.join('')}{"summary":{"domains":30000}}\n{"domain":"cut-off`);
    let counted = 0;
    const resumed = resumeResults(file, 'ndjson', '', () => (counted += 1));
    expect(resumed.done.size).toBe(30_000);
    expect(counted).toBe(30_000);
    expect(resumed.done.has('d29999.test')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe(lines.join(''));
  });

  it('refuses a CSV written with other columns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wcf-resume-'));
    const file = join(dir, 'old.csv');
    await writeFile(file, '\uFEFFDomain,Other\r\na.test,x\r\n');
    expect(() => resumeResults(file, 'csv', 'Domain,Display domain')).toThrow(/its columns differ/);
  });
});
