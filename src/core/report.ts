import { parseDomain } from './address';
import { PROBE_IDS, PROBES } from './probes';
import type { DomainVerdict, ProbeId } from './types';

/** One domain in an anonymous report: its name and which of its federation records were found. */
export interface ReportedDomain {
  domain: string;
  records: ProbeId[];
}

/** The exact body of `POST /v1/reports`: nothing but domain names and record names. */
export interface Report {
  domains: ReportedDomain[];
}

/**
 * Limits shared by the sharing clients (which split their batches to fit) and the collector (which
 * refuses anything bigger), so a well-behaved client never sees a 400.
 */
export const REPORT_LIMITS = {
  /** Domains in one report. */
  maxDomains: 200,
  /** Bytes of one request body. */
  maxBytes: 64 * 1024,
} as const;

/** The records worth sharing: the SRV records that announce a federation or client service (not MX). */
export const SHARED_RECORDS: readonly ProbeId[] = PROBES.filter((probe) => probe.type === 'SRV').map(
  (probe) => probe.id,
);

/**
 * What a verdict contributes to a report: its domain and found SRV records, or nothing when it has
 * none or is a consumer mail provider (whose records say nothing about the people who use it).
 */
export function reportedDomainOf(verdict: DomainVerdict): ReportedDomain | undefined {
  if (verdict.consumer) return undefined;
  const records = SHARED_RECORDS.filter((id) => verdict.records[id]?.status === 'found');
  return records.length === 0 ? undefined : { domain: verdict.domain, records };
}

/** Orders reported domains by name (code-point order), whatever order they came in. */
export function byDomainName(a: ReportedDomain, b: ReportedDomain): number {
  return a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;
}

/** Every shareable domain of a check, once each, sorted so the payload does not keep the contacts' order. */
export function reportedDomains(verdicts: Iterable<DomainVerdict>): ReportedDomain[] {
  const byDomain = new Map<string, ReportedDomain>();
  for (const verdict of verdicts) {
    const entry = reportedDomainOf(verdict);
    if (entry) byDomain.set(entry.domain, entry);
  }
  return [...byDomain.values()].sort(byDomainName);
}

/** The request body for a report, as the client sends it and the preview shows it, byte for byte. */
export function reportBody(report: Report): string {
  return JSON.stringify(report);
}

/** Splits domains into reports that each fit {@link REPORT_LIMITS}. */
export function splitIntoReports(domains: readonly ReportedDomain[]): Report[] {
  const reports: Report[] = [];
  let current: ReportedDomain[] = [];
  // `{"domains":[` + `]}`, then each entry and a comma.
  const envelope = reportBody({ domains: [] }).length;
  let bytes = envelope;
  for (const entry of domains) {
    const size = new TextEncoder().encode(JSON.stringify(entry)).length + 1;
    if (
      current.length > 0 &&
      (current.length >= REPORT_LIMITS.maxDomains || bytes + size > REPORT_LIMITS.maxBytes)
    ) {
      reports.push({ domains: current });
      current = [];
      bytes = envelope;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) reports.push({ domains: current });
  return reports;
}

/** Why a reported domain name was refused; a report with any such name is refused whole. */
export function reportedDomainProblem(domain: string): string | undefined {
  const parsed = parseDomain(domain);
  if (!parsed.ok) return parsed.reason;
  if (parsed.domain !== domain) {
    return /[^ -~]/.test(domain)
      ? 'send the ASCII (xn--) form, not the Unicode form'
      : 'send the normalised form (lower case, no trailing dot)';
  }
  return undefined;
}

/** Whether a record name is one the catalogue knows. */
export function isProbeId(name: string): name is ProbeId {
  return (PROBE_IDS as readonly string[]).includes(name);
}
