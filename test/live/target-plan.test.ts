import { MAX_LIVE_TARGETS_PER_DOMAIN, MAX_LIVE_TARGETS_PER_RECORD } from '../../src/core/live';
import { planTargets } from '../../src/live/target-plan';
import { found, noneBut } from '../support/records';

const targets = (n: number, host: string) => ({
  status: 'found' as const,
  targets: Array.from({ length: n }, (_, i) => ({
    target: `${host}${i}.example`,
    port: 5269,
    priority: i,
    weight: 0,
  })),
});

describe("the live check's plan of targets", () => {
  it('contacts each found federation and client record, with the kind of check its record calls for', () => {
    const jobs = planTargets(
      noneBut({
        '_sipfederationtls._tcp': found('sip.example'),
        '_xmpp-server._tcp': found('xmpp.example', 5269),
        '_xmpps-client._tcp': found('xmpp.example', 5223),
        MX: found('mx.example', 25),
      }),
    );
    expect(jobs.map((job) => [job.probe, job.kind, job.skip])).toEqual([
      ['_sipfederationtls._tcp', 'tls', undefined],
      ['_xmpp-server._tcp', 'xmpp-server', undefined],
      ['_xmpps-client._tcp', 'xmpps-client', undefined],
    ]);
  });

  it('reports, and does not contact, targets past the bounds per record and per domain', () => {
    const jobs = planTargets(
      noneBut({
        '_xmpp-server._tcp': targets(MAX_LIVE_TARGETS_PER_RECORD + 3, 's'),
        '_xmpp-client._tcp': targets(MAX_LIVE_TARGETS_PER_RECORD, 'c'),
        '_xmpps-server._tcp': targets(5, 'd'),
      }),
    );
    const contacted = jobs.filter((job) => !job.skip);
    expect(contacted).toHaveLength(MAX_LIVE_TARGETS_PER_DOMAIN);
    expect(jobs.filter((job) => job.skip?.includes('of a record'))).toHaveLength(3);
    expect(jobs.filter((job) => job.skip?.includes('of a domain'))).toHaveLength(5);
  });
});
