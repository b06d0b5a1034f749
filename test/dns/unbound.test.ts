import { parseDomain } from '../../src/core/address';
import { DohClient } from '../../src/dns/doh-client';
import { FederationLookup } from '../../src/engine/federation-lookup';
import { createNodeFetch } from '../../src/dns/node-fetch';
import { loopbackCertificate } from '../support/certificates';
import { benchZone, countLost } from '../support/generated-zone';
import { startUnbound, UNBOUND, type UnboundServer } from '../support/unbound';

// CI installs Unbound (.ci/run); a developer's machine without it skips these tests, and says so.
const run = UNBOUND || process.env.CI ? describe : describe.skip;
if (!UNBOUND && !process.env.CI) {
  process.stderr.write('Unbound tests skipped: apt-get install unbound to run them\n');
}

run("against Debian's Unbound (its own HTTP/2 DoH, a local zone)", () => {
  let unbound: UnboundServer;
  let ca: string;
  const { zone, domains } = benchZone(300, 'unbound-');
  beforeAll(async () => {
    const certificate = await loopbackCertificate();
    ca = certificate.cert;
    unbound = await startUnbound(zone, certificate);
  });
  afterAll(async () => {
    await unbound?.close();
  });

  test('300 domains, every record of the standard plan, at 64 in flight: every answer matches the zone, none lost', async () => {
    const client = new DohClient({ endpoints: [unbound.url], fetch: createNodeFetch({ ca }) });
    const lookup = new FederationLookup({ client, concurrency: 64 });
    const verdicts = await lookup.checkDomains(domains);
    expect(countLost(verdicts, 300)).toBe(0);
  });

  test('a name the resolver refuses is unknown, never "no"', async () => {
    const client = new DohClient({ endpoints: [unbound.url], fetch: createNodeFetch({ ca }), retries: 0 });
    const lookup = new FederationLookup({ client });
    const [verdict] = await lookup.checkDomains([parseDomain('outside.example')].filter((d) => d.ok));
    expect(verdict?.canFederate).toBeNull();
    expect(verdict?.records['_sipfederationtls._tcp']).toMatchObject({
      status: 'error',
      error: expect.stringContaining('would not answer the question (REFUSED)'),
    });
  });
});
