import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestCertificate } from './certificates';
import type { Zone } from './doh-server';
import { freeLoopbackPort } from './free-port';

/** Debian's Unbound, where installed (`.ci/run` installs it). */
export const UNBOUND = ['/usr/sbin/unbound', '/usr/bin/unbound'].find((path) => existsSync(path));

export interface UnboundServer {
  /** Its DNS-over-HTTPS endpoint (HTTP/2 only, as Unbound serves it). */
  url: string;
  close(): Promise<void>;
}

/**
 * Waits until a spawned Unbound (`-d`, its stderr piped) says "start of service"; rejects with its
 * output when it exits first or takes longer than `timeoutMs` (a large zone takes a while to load).
 */
export function unboundStarted(child: ChildProcess, timeoutMs: number): Promise<void> {
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`unbound did not start:\n${output}`)), timeoutMs);
    const check = setInterval(() => {
      if (!output.includes('start of service')) return;
      clearInterval(check);
      clearTimeout(timer);
      resolve();
    }, 50);
    child.once('exit', () => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`unbound exited:\n${output}`));
    });
  });
}

/** A zone's SRV and MX records as Unbound `local-data` lines. */
function localData(zone: Zone): string[] {
  const lines: string[] = [];
  for (const [name, fixture] of Object.entries(zone)) {
    for (const srv of fixture.SRV ?? []) {
      lines.push(`${name}. 300 IN SRV ${srv.priority ?? 0} ${srv.weight ?? 0} ${srv.port} ${srv.target}.`);
    }
    for (const mx of fixture.MX ?? [])
      lines.push(`${name}. 300 IN MX ${mx.preference ?? 10} ${mx.exchange}.`);
    for (const a of fixture.A ?? []) lines.push(`${name}. 300 IN A ${a}`);
  }
  return lines;
}

/**
 * Starts a real Unbound on 127.0.0.1 serving DoH from a local zone under `test.`. Every other
 * name is refused by a local zone for `.`, so this resolver never recurses: it sends nothing to
 * the internet, whatever it is asked.
 */
export async function startUnbound(zone: Zone, certificate: TestCertificate): Promise<UnboundServer> {
  if (!UNBOUND) throw new Error('unbound is not installed (apt-get install unbound)');
  const dir = mkdtempSync(join(tmpdir(), 'wcf-unbound-'));
  writeFileSync(join(dir, 'cert.pem'), certificate.cert);
  writeFileSync(join(dir, 'key.pem'), certificate.key);
  const port = await freeLoopbackPort();
  const config = [
    'server:',
    `  interface: 127.0.0.1@${port}`,
    `  https-port: ${port}`,
    `  tls-service-key: "${join(dir, 'key.pem')}"`,
    `  tls-service-pem: "${join(dir, 'cert.pem')}"`,
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    '  pidfile: ""',
    '  use-syslog: no',
    '  do-daemonize: no',
    '  access-control: 127.0.0.0/8 allow',
    '  module-config: "iterator"',
    '  http-max-streams: 100',
    '  local-zone: "." refuse',
    '  local-zone: "test." static',
    ...localData(zone).map((line) => `  local-data: "${line}"`),
  ];
  writeFileSync(join(dir, 'unbound.conf'), `${config.join('\n')}\n`);
  const child: ChildProcess = spawn(UNBOUND, ['-d', '-c', join(dir, 'unbound.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await unboundStarted(child, 10_000);
  return {
    url: `https://127.0.0.1:${port}/dns-query`,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
