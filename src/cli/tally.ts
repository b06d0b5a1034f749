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
  readonly reported: ReportedDomain[] = [];

  constructor(private readonly members: ReadonlyMap<string, ReadonlySet<string>>) {
    this.cohorts = [...members.keys()].map((cohort) => ({ cohort, ...emptySummary() }));
  }

  add(verdict: DomainVerdict): void {
    countInto(this.total, verdict);
    this.cohorts.forEach((row) => {
      if (this.members.get(row.cohort)?.has(verdict.domain)) countInto(row, verdict);
    });
    for (const record of Object.values(verdict.records)) {
      this.asked += 1;
      if (record.status !== 'error') continue;
      this.failed += 1;
      if (this.reasons.size < 20) this.reasons.add(record.error ?? 'unknown failure');
    }
    const reported = reportedDomainOf(verdict);
    if (reported) this.reported.push(reported);
  }

  /** The summary as JSON documents give it: the total, and one entry per cohort when there are several. */
  summary(): Summary & { cohorts?: CohortSummary[] } {
    return this.cohorts.length > 1 ? { ...this.total, cohorts: this.cohorts } : { ...this.total };
  }
}
