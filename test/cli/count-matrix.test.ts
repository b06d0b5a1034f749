import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { startDohServer, type DohServer } from '../support/doh-server';

let doh: DohServer;
beforeAll(async () => {
  doh = await startDohServer({
    zone: {
      '_matrix-fed._tcp.matrix.test': { SRV: [{ target: 'synapse.matrix.test', port: 8448 }] },
      'matrix.test': { MX: [{ exchange: 'mx.matrix.test' }] },
    },
  });
});
afterAll(async () => {
  await doh.close();
});

async function check(extra: string[]): Promise<{
  code: number;
  document: { domains: Record<string, unknown>[]; summary: Record<string, number> };
  stderr: string;
}> {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', '-', '--doh', doh.url, '--format', 'json', ...extra], {
    stdin: Readable.from([Buffer.from('matrix.test\n')]),
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, document: code === 0 ? JSON.parse(stdout) : { domains: [], summary: {} }, stderr };
}

describe('--count matrix', () => {
  it('shows Matrix federation without counting it, by default', async () => {
    const { document } = await check([]);
    expect(document.domains[0]).toMatchObject({
      matrix: { federation: true, server: 'synapse.matrix.test:8448' },
      canFederate: false,
      answer: 'no',
    });
    expect(document.summary).toMatchObject({ matrixFederation: 1, lyncFederation: 0, xmppFederation: 0 });
  });

  it('counts it in "can federate" when asked', async () => {
    const { document } = await check(['--count', 'matrix']);
    expect(document.domains[0]).toMatchObject({ canFederate: true, answer: 'yes' });
  });

  it('says what --count takes', async () => {
    const { code, stderr } = await check(['--count', 'irc']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--count takes "matrix"/);
  });
});
