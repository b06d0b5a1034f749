import { Fifo } from '../async/fifo';

/** What a lane holds: a question that may be moved to another lane (and is then skipped in its old one). */
export interface Movable {
  /** Set once taken: a question hurried to the front is also still in its old lane, and skipped there. */
  taken?: boolean;
  /** Moved behind every other detail: skipped in its old lane. */
  later?: boolean;
}

/**
 * The lanes a check's questions wait in, in the order they are taken. Answers before details; among
 * answers, a domain's next step before new domains (its answer sooner); among details, what someone
 * looks at first, then tenant evidence (which can still change an answer shown), then the rest, then
 * what can wait. Hurry and defer are moves between lanes.
 */
export class LanedQueue<Q extends Movable> {
  /** Details someone is looking at (a person's details open, rows on screen): before everything else. */
  private readonly hurried = new Fifo<Q>();
  /** A domain's later answer steps. */
  private readonly followUps = new Fifo<Q>();
  /** The first answer step of domains new to the check. */
  private readonly firsts = new Fifo<Q>();
  /** Tenant evidence: the first details. */
  private readonly evidence = new Fifo<Q>();
  private readonly details = new Fifo<Q>();
  /** Details that can wait (the community directory knows the domain): after every other question. */
  private readonly deferred = new Fifo<Q>();

  /** Questions of new domains waiting: what tells the reader of a streamed source to read on. */
  get firstsWaiting(): number {
    return this.firsts.length;
  }

  /** Queues an answer step's questions: `first` for a domain new to the check. */
  pushAnswer(questions: readonly Q[], first: boolean): void {
    const lane = first ? this.firsts : this.followUps;
    for (const question of questions) lane.push(question);
  }

  /** Queues a details step's questions: tenant evidence first, and what can wait last. */
  pushDetails(questions: readonly Q[], kind: 'evidence' | 'details' | 'deferred'): void {
    const lane = kind === 'evidence' ? this.evidence : kind === 'deferred' ? this.deferred : this.details;
    for (const question of questions) lane.push(question);
  }

  /** The next question of an answer step (or one hurried), or undefined. */
  nextAnswer(): Q | undefined {
    return nextUntaken(this.hurried, true) ?? this.followUps.shift() ?? this.firsts.shift();
  }

  /** The next detail question, or undefined. */
  nextDetail(): Q | undefined {
    return nextUntaken(this.evidence) ?? nextUntaken(this.details) ?? nextUntaken(this.deferred, true);
  }

  /** Moves questions not yet taken to the front (someone is looking at their domain). */
  hurry(questions: readonly Q[]): void {
    for (const question of questions) if (!question.taken) this.hurried.push(question);
  }

  /** Moves questions not yet taken behind every other. */
  defer(questions: readonly Q[]): void {
    for (const question of questions) {
      if (question.taken) continue;
      question.later = true;
      this.deferred.push(question);
    }
  }
}

/**
 * The next question of a lane not already taken through another lane. A question moved behind the
 * rest is skipped in its old lane, not in the deferred one nor when hurried (`evenLater`).
 */
function nextUntaken<Q extends Movable>(lane: Fifo<Q>, evenLater = false): Q | undefined {
  for (let question = lane.shift(); question; question = lane.shift()) {
    if (!question.taken && (evenLater || !question.later)) return question;
  }
  return undefined;
}
