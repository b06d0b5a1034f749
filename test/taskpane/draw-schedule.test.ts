import { flushInterval, scheduleDraws } from '../../src/taskpane/draw-schedule';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('the interval grows with the domains, from 150 ms to at most a second', () => {
  expect(flushInterval(0)).toBe(150);
  expect(flushInterval(2000)).toBe(650);
  expect(flushInterval(100_000)).toBe(1000);
});

test('draws on every tick of the interval', () => {
  const draw = jest.fn();
  const schedule = scheduleDraws(draw, 650);
  jest.advanceTimersByTime(649);
  expect(draw).not.toHaveBeenCalled();
  jest.advanceTimersByTime(1);
  expect(draw).toHaveBeenCalledTimes(1);
  jest.advanceTimersByTime(1300);
  expect(draw).toHaveBeenCalledTimes(3);
  schedule.stop();
});

test('now() draws on the next tick, not at the interval: the last answer is not held back 650 ms', () => {
  const draw = jest.fn();
  const schedule = scheduleDraws(draw, 650);
  jest.advanceTimersByTime(100);
  schedule.now();
  schedule.now();
  expect(draw).not.toHaveBeenCalled();
  jest.advanceTimersByTime(0);
  expect(draw).toHaveBeenCalledTimes(1);
  // Asked again later, it draws again: each request for a draw is served.
  schedule.now();
  jest.advanceTimersByTime(0);
  expect(draw).toHaveBeenCalledTimes(2);
  schedule.stop();
});

test('after stop() nothing draws, not even a draw asked for just before', () => {
  const draw = jest.fn();
  const schedule = scheduleDraws(draw, 150);
  schedule.now();
  schedule.stop();
  schedule.now();
  jest.advanceTimersByTime(1000);
  expect(draw).not.toHaveBeenCalled();
  expect(jest.getTimerCount()).toBe(0);
});
