import { EvaluationRateLimiter } from '../../api/ofrep/rate-limit';
import { securityHeaders } from '../../api/ofrep/cors';
import { FakeClock } from '../support/fake-clock';

describe('evaluation rate limiter', () => {
  it('when a token uses up its second, then it waits until the next second; the limit 0 never refuses', () => {
    const clock = new FakeClock('2026-11-24T10:00:00.900Z');
    const limiter = new EvaluationRateLimiter(2, clock);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([0, 0, 1, 0]);
    clock.advance(100);
    expect(limiter.take('a')).toBe(0);
    const off = new EvaluationRateLimiter(0, clock);
    expect(Array.from({ length: 100 }, () => off.take('a')).every((w) => w === 0)).toBe(true);
  });

  it('when more tokens call than it remembers, then ended windows are dropped and memory stays bounded', () => {
    const clock = new FakeClock();
    const limiter = new EvaluationRateLimiter(5, clock, 100);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`token-${i}`);
      if (i % 10 === 0) clock.advance(1000);
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
    for (let i = 0; i < 500; i++) limiter.take(`same-second-${i}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it('when the api runs in production, then OFREP answers carry HSTS; without CORS the resource policy is same-origin', () => {
    expect(securityHeaders({ corsOrigins: [], production: true })).toMatchObject({
      'Strict-Transport-Security': expect.stringContaining('max-age='),
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });
});
