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
import { COLLECTOR_SETTINGS } from '../src/collector/settings';
import { readConfig } from '../src/collector/config';
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

describe('the collector service examples', () => {
  const unitFile = join(EXAMPLES, 'systemd', 'who-can-federate-collector.service');

  it('the systemd unit sets only settings the collector has, to values it accepts, and is hardened', async () => {
    const unit = await readFile(unitFile, 'utf8');
    const environment = Object.fromEntries(
      [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]),
    );
    const known = new Set<string>([...COLLECTOR_SETTINGS.map((row) => row.env), 'NODE_ENV']);
    expect(Object.keys(environment).filter((name) => !known.has(name))).toEqual([]);
    expect(readConfig(environment, '/var/lib/who-can-federate')).toMatchObject({
      host: '127.0.0.1',
      trustProxy: 1,
      metrics: { port: 9464, host: '127.0.0.1' },
    });
    for (const directive of [
      'DynamicUser=yes',
      'ProtectSystem=strict',
      'StateDirectory=',
      'NoNewPrivileges=yes',
    ]) {
      expect(unit).toContain(directive);
    }
  });

  it('systemd itself accepts the unit (where systemd-analyze is installed)', async () => {
    let analyze = true;
    try {
      await run('systemd-analyze', ['--version']);
    } catch {
      analyze = false;
    }
    if (!analyze) {
      process.stderr.write('systemd-analyze not installed: the unit was checked by the test above only\n');
      return;
    }
    // Exit 0 (execFile rejects otherwise), and no complaint about the unit itself (a container
    // without a running systemd may warn about other things).
    const { stderr } = await run('systemd-analyze', ['verify', unitFile]);
    expect(stderr.split('\n').filter((line) => line.includes('who-can-federate-collector'))).toEqual([]);
  });

  it('the nginx site appends the client to X-Forwarded-For, the one hop WCF_TRUST_PROXY=1 believes', async () => {
    const snippet = await readFile(join(EXAMPLES, 'nginx', 'who-can-federate-proxy.conf'), 'utf8');
    const site = await readFile(join(EXAMPLES, 'nginx', 'collector.conf'), 'utf8');
    expect(snippet).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(site).toMatch(/server 127\.0\.0\.1:8787;/);
    expect(site).toMatch(/client_max_body_size 64k;/);
    expect(site).not.toMatch(/9464/); // the metrics port is not proxied
  });
});
