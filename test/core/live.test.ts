import { certificateNameCovers, liveState, type LiveResult } from '../../src/core/live';
import type { RecordResult } from '../../src/core/records';

const withLive = (...statuses: (LiveResult['status'] | 'lookup-failed' | undefined)[]): RecordResult => ({
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
    [[withLive('answering')], true],
    [[withLive('refused', 'answering')], true],
    [[withLive('refused', 'unresolved')], false],
    [[withLive('refused', 'timeout')], null],
    [[withLive('tls-failed')], null],
    [[withLive('lookup-failed')], null],
    [[withLive('refused'), { status: 'none', targets: [] } as RecordResult], false],
    [[{ status: 'none', targets: [] } as RecordResult], null],
    [[withLive(undefined)], null],
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
