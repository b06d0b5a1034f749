/**
 * The recipes in examples/ for running shards on engines people already have: checked for syntax
 * (the Kubernetes Job parsed and read as an Indexed Job whose command matches the CLI; the Slurm
 * script by bash -n), since no cluster runs here. The GNU parallel recipe runs for real in
 * test/cli/summary.test.ts.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { parseCommandLine } from '../src/cli/args';
import { projectRoot } from './support/project-root';

const run = promisify(execFile);
const EXAMPLES = join(projectRoot(), 'examples');

/** The `who-can-federate check …` words of a shell command line, with the shell's variables filled in. */
function checkArguments(command: string, values: Record<string, string>): string[] {
  const filled = command.replace(
    /\$\(\((\w+) \+ 1\)\)|\$\{(\w+)\}|\$(\w+)/g,
    (_, arithmetic, braced, plain) => {
      const name = (arithmetic ?? braced ?? plain) as string;
      const value = values[name] ?? '';
      return arithmetic ? String(Number(value) + 1) : value;
    },
  );
  const words = [...filled.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
  return words.slice(words.indexOf('check'));
}

describe('the shard recipes in examples/', () => {
  it('the Kubernetes Indexed Job runs one shard a pod, and its command is one the CLI accepts', async () => {
    const job = load(await readFile(join(EXAMPLES, 'shards-k8s-job.yaml'), 'utf8')) as {
      apiVersion: string;
      kind: string;
      spec: {
        completionMode: string;
        completions: number;
        template: { spec: { containers: { args: string[] }[] } };
      };
    };
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed' } });
    const command = job.spec.template.spec.containers[0]?.args[0] ?? '';
    const argv = checkArguments(command, { JOB_COMPLETION_INDEX: '7' });
    const parsed = parseCommandLine(argv, {}, false);
    expect(parsed).toMatchObject({
      command: 'check',
      shard: { index: 8, count: job.spec.completions },
      format: 'ndjson',
      resume: true,
      output: '/results/part-8.ndjson',
    });
  });

  it('the Slurm array script is valid bash, and its command is one the CLI accepts', async () => {
    const file = join(EXAMPLES, 'shards-slurm.sh');
    await run('bash', ['-n', file]);
    const script = await readFile(file, 'utf8');
    const shards = /--array=1-(\d+)/.exec(script)?.[1];
    const command =
      /node bin\/who-can-federate\.js (check[\s\S]*?--resume)/.exec(script)?.[1]?.replace(/\\\n/g, ' ') ?? '';
    const argv = checkArguments(command, {
      SLURM_ARRAY_TASK_ID: '3',
      SHARDS: shards ?? '',
      RESOLVER: '127.0.0.1',
    });
    expect(parseCommandLine(argv, {}, false)).toMatchObject({
      command: 'check',
      shard: { index: 3, count: Number(shards) },
      dnsServers: [{ host: '127.0.0.1', port: 53 }],
      output: 'results/part-3.ndjson',
    });
  });
});
