import type { DnsResponse } from './doh-client';
import type { RecordType } from './wire';

/**
 * What a DNS transport offers whoever asks through it (the check engine, live checks): one question,
 * one answer. The {@link DohClient} and the {@link UdpDnsClient} both are one; tests may bring their own.
 */
export interface DnsQuerier {
  query(name: string, type: RecordType, signal?: AbortSignal): Promise<DnsResponse>;
  /** Whether the client found every resolver unreachable and stopped asking (the DoH client's health check). */
  readonly unreachable?: boolean;
  /** Asks again after {@link unreachable}, giving up at the first silent question. */
  probeAgain?(): void;
}
