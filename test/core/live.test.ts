import {
  certificateNameCovers,
  liveKey,
  liveState,
  withLive,
  type CheckedRecord,
  type LiveResult,
} from '../../src/core/live';
import type { RecordResult } from '../../src/core/records';
import { buildVerdict } from '../../src/core/verdict';

const checked = (...statuses: (LiveResult['status'] | 'lookup-failed' | undefined)[]): CheckedRecord => ({
  status: 'found',
  targets: statuses.map((status, i) => ({
    target: `t${i}.test`,
    port: 5061,
    priority: 0,
    weight: 0,
    live:
      status === undefined
        ? undefined
        : status === 'lookup-failed'
          ? { status: 'unresolved', ms: 1, lookupFailed: true }
          : { status, ms: 1 },
  })),
});

describe('liveState', () => {
  test.each([
    [[checked('answering')], true],
    [[checked('refused', 'answering')], true],
    [[checked('refused', 'unresolved')], false],
    [[checked('refused', 'timeout')], null],
    [[checked('tls-failed')], null],
    [[checked('lookup-failed')], null],
    [[checked('refused'), { status: 'none', targets: [] } as RecordResult], false],
    [[{ status: 'none', targets: [] } as RecordResult], null],
    [[checked(undefined)], null],
  ])('%j → %s', (records, expected) => {
    expect(liveState(records)).toBe(expected);
  });
});

describe('certificateNameCovers', () => {
  test.each([
    ['sip.contoso.com', 'sip.contoso.com', true],
    ['SIP.Contoso.com', 'sip.contoso.com.', true],
    ['*.contoso.com', 'sip.contoso.com', true],
    ['*.contoso.com', 'contoso.com', false],
    ['*.contoso.com', 'a.sip.contoso.com', false],
    ['*.com', 'contoso.com', false],
    ['sip.contoso.com', 'sip.fabrikam.com', false],
  ])('%s covers %s: %s', (pattern, host, expected) => {
    expect(certificateNameCovers(pattern, host)).toBe(expected);
  });
});

describe('live findings as an input of the verdict', () => {
  const edge = { target: 'sip.fabrikam.test', port: 5061, priority: 0, weight: 0 };
  const records = { '_sipfederationtls._tcp': { status: 'found' as const, targets: [edge] } };

  it('puts each finding beside its target in copies, replacing an earlier one, and leaves the DNS records alone', () => {
    const first = withLive(
      records,
      new Map([[liveKey('_sipfederationtls._tcp', 0, edge), { status: 'refused', ms: 3 }]]),
    );
    expect(first['_sipfederationtls._tcp']?.targets[0]?.live?.status).toBe('refused');
    expect(records['_sipfederationtls._tcp'].targets[0]).toEqual(edge);
    const again = withLive(first, new Map());
    expect(again['_sipfederationtls._tcp']?.targets[0]?.live).toBeUndefined();
  });

  it('writes the notes once, in core: servers past the bounds and a Matrix delegation not fetched', () => {
    const verdict = buildVerdict({ domain: 'fabrikam.test', displayDomain: 'fabrikam.test' }, records, {
      live: {
        findings: new Map([[liveKey('_sipfederationtls._tcp', 0, edge), { status: 'answering', ms: 3 }]]),
        skipped: 2,
        matrix: { blocked: 'a private address' },
      },
    });
    expect(verdict.lync.live).toBe(true);
    expect(verdict.verified).toBe(true);
    expect(verdict.notes).toEqual([
      expect.stringMatching(/^2 more servers were not contacted/) as unknown,
      'Matrix delegation not fetched: a private address',
    ]);
  });
});
