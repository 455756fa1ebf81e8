import { StallDetector } from './stall-detector';

describe('StallDetector', () => {
  it('reports a stall once the head stays ahead of an unmoving checkpoint for the stall interval', () => {
    const d = new StallDetector(100);
    expect(d.observe(10, 5, 0)).toBe(false);
    expect(d.observe(12, 5, 99)).toBe(false);
    expect(d.observe(12, 5, 100)).toBe(true);
  });

  it('starts the clock when the lag is first seen, not at the last checkpoint move', () => {
    const d = new StallDetector(100);
    expect(d.observe(5, 5, 0)).toBe(false);
    expect(d.observe(6, 5, 10_000)).toBe(false);
    expect(d.observe(6, 5, 10_050)).toBe(false);
  });

  it('restarts the clock whenever the checkpoint moves', () => {
    const d = new StallDetector(100);
    d.observe(100, 1, 0);
    expect(d.observe(100, 2, 150)).toBe(false);
    expect(d.observe(100, 2, 200)).toBe(false);
    expect(d.observe(100, 2, 250)).toBe(true);
  });

  it('never reports a caught-up checkpoint, and starts afresh after a report or a reset', () => {
    const d = new StallDetector(100);
    expect(d.observe(5, 5, 0)).toBe(false);
    expect(d.observe(5, 5, 1_000)).toBe(false);
    d.observe(9, 5, 1_000);
    expect(d.observe(9, 5, 1_100)).toBe(true);
    expect(d.observe(9, 5, 1_200)).toBe(false);
    d.reset();
    expect(d.observe(9, 5, 5_000)).toBe(false);
  });
});
