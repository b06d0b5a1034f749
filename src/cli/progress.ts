import type { LookupProgress } from '../engine/federation-lookup';

export interface ProgressOutput {
  write(text: string): unknown;
  columns?: number;
}

/**
 * A one-line progress bar for a terminal's stderr: domains done / total, rate and ETA. Redraws at most
 * every `intervalMs`, so 10,000 updates cost a few dozen writes.
 */
export class ProgressBar {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly output: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 100,
    /** What is counted: domains for the lookup, servers for `--live`. */
    private readonly unit = 'domains',
  ) {
    this.started = now();
  }

  /** The line for a progress state, without drawing it. */
  render(progress: LookupProgress): string {
    const { domainsDone: done, domainsTotal: total } = progress;
    const elapsed = Math.max(this.now() - this.started, 1) / 1000;
    const rate = done / elapsed;
    const eta = rate > 0 ? Math.ceil((total - done) / rate) : undefined;
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const etaText = done === total ? 'done' : eta === undefined ? 'ETA --' : `ETA ${formatSeconds(eta)}`;
    const questions = this.unit === 'domains' ? `  ${Math.round(progress.questionsDone / elapsed)} q/s` : '';
    const failed = progress.questionsFailed ?? 0;
    const lost = failed > 0 ? `  ${failed} unanswered` : '';
    return `${bar} ${done}/${total} ${this.unit}  ${rate.toFixed(1)}/s${questions}${lost}  ${etaText}`;
  }

  update(progress: LookupProgress): void {
    const now = this.now();
    const finished = progress.domainsDone === progress.domainsTotal;
    if (!finished && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.drawn = true;
    this.output.write(`\r\x1b[2K${this.render(progress)}`);
  }

  /** Clears the bar so that what follows starts on a clean line. */
  clear(): void {
    if (this.drawn) this.output.write('\r\x1b[2K');
    this.drawn = false;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}
