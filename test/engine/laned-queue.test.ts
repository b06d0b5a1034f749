import { LanedQueue, type Movable } from '../../src/engine/laned-queue';

interface Q extends Movable {
  name: string;
}
const q = (name: string): Q => ({ name });
const drain = (lanes: LanedQueue<Q>): string[] => {
  const taken: string[] = [];
  for (
    let next = lanes.nextAnswer() ?? lanes.nextDetail();
    next;
    next = lanes.nextAnswer() ?? lanes.nextDetail()
  ) {
    next.taken = true;
    taken.push(next.name);
  }
  return taken;
};

describe('the laned queue', () => {
  it('gives answers before details: follow-ups, then new domains; evidence, details, then what can wait', () => {
    const lanes = new LanedQueue<Q>();
    lanes.pushDetails([q('deferred')], 'deferred');
    lanes.pushDetails([q('detail')], 'details');
    lanes.pushDetails([q('evidence')], 'evidence');
    lanes.pushAnswer([q('first-a'), q('first-b')], true);
    lanes.pushAnswer([q('follow-up')], false);
    expect(lanes.firstsWaiting).toBe(2);
    expect(drain(lanes)).toEqual(['follow-up', 'first-a', 'first-b', 'evidence', 'detail', 'deferred']);
  });

  it('moves hurried details before everything, and asks each question once', () => {
    const lanes = new LanedQueue<Q>();
    const details = [q('d1'), q('d2')];
    lanes.pushDetails(details, 'details');
    lanes.pushAnswer([q('answer')], true);
    lanes.hurry([details[1] as Q]);
    expect(drain(lanes)).toEqual(['d2', 'answer', 'd1']);
  });

  it('moves deferred details behind every other, but a hurried one still goes first', () => {
    const lanes = new LanedQueue<Q>();
    const known = [q('known-1'), q('known-2')];
    lanes.pushDetails(known, 'details');
    lanes.pushDetails([q('other')], 'details');
    lanes.defer(known);
    lanes.hurry([known[1] as Q]);
    expect(drain(lanes)).toEqual(['known-2', 'other', 'known-1']);
  });
});
