import { reportedDomainOf, type ReportedDomain } from '../core/report';
import { countInto, emptySummary, type Summary } from '../core/summary';
import type { DomainVerdict } from '../core/verdict';

/** A cohort's row of the study's table. */
export interface CohortSummary extends Summary {
  cohort: string;
}

/**
 * Everything a run reports at its end, counted as verdicts go by, so a streaming run over millions
 * of domains keeps counts rather than verdicts: the research table (in total and per cohort), the
 * failed lookups and their reasons, and what `--share` would send.
 */
export class RunTally {
  readonly total = emptySummary();
  readonly cohorts: CohortSummary[];
  asked = 0;
  failed = 0;
  /** A few distinct failure reasons, for the message on stderr. */
  readonly reasons = new Set<string>();
  /** What `--share` would send; kept only when asked for (a run of millions needs no list). */
  readonly reported: ReportedDomain[] = [];

  /**
   * @param cohortNames the cohorts, in the order of the table's rows
   * @param cohortsOf a domain's cohorts, as bits (bit i: `cohortNames[i]`)
   */
  constructor(
    cohortNames: readonly string[],
    private readonly cohortsOf: (domain: string) => number = () => 1,
    private readonly keepReported = false,
  ) {
    this.cohorts = cohortNames.map((cohort) => ({ cohort, ...emptySummary() }));
  }

  add(verdict: DomainVerdict): void {
    countInto(this.total, verdict);
    const bits = this.cohorts.length > 1 ? this.cohortsOf(verdict.domain) : 1;
    this.cohorts.forEach((row, index) => {
      if ((bits & (2 ** index)) !== 0) countInto(row, verdict);
    });
    for (const record of Object.values(verdict.records)) {
      this.asked += 1;
      if (record.status !== 'error') continue;
      this.failed += 1;
      if (this.reasons.size < 20) this.reasons.add(record.error ?? 'unknown failure');
    }
    const reported = this.keepReported ? reportedDomainOf(verdict) : undefined;
    if (reported) this.reported.push(reported);
  }

  /** The summary as JSON documents give it: the total, and one entry per cohort when there are several. */
  summary(): Summary & { cohorts?: CohortSummary[] } {
    return this.cohorts.length > 1 ? { ...this.total, cohorts: this.cohorts } : { ...this.total };
  }
}
