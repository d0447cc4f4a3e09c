import type { Clock } from '../../modules/platform/clock';

/** A clock tests move by hand: nothing time-based sleeps. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-11-24T10:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(to: Date | string): void {
    this.current = new Date(to).getTime();
  }
}
