import { describe, expect, it } from 'vitest';
import { businessDay, zonedDateTime } from './time.ts';

describe('businessDay', () => {
  it('changes at midnight in Paris, also when the same minute and the next are asked one after the other', () => {
    // Winter (UTC+1): midnight in Paris is 23:00 UTC. Summer (UTC+2): 22:00 UTC.
    expect(businessDay(new Date('2026-12-03T22:59:59.999Z'))).toBe('2026-12-03');
    expect(businessDay(new Date('2026-12-03T23:00:00.000Z'))).toBe('2026-12-04');
    expect(businessDay(new Date('2026-12-03T22:59:30.000Z'))).toBe('2026-12-03');
    expect(businessDay(new Date('2026-07-14T21:59:59.000Z'))).toBe('2026-07-14');
    expect(businessDay(new Date('2026-07-14T22:00:00.000Z'))).toBe('2026-07-15');
    // The night the clocks go back (25 October 2026, 03:00 CEST → 02:00 CET): still the 25th all night.
    expect(businessDay(new Date('2026-10-25T00:59:00.000Z'))).toBe('2026-10-25');
    expect(businessDay(new Date('2026-10-25T01:00:00.000Z'))).toBe('2026-10-25');
    expect(businessDay(new Date('2026-10-25T22:59:00.000Z'))).toBe('2026-10-25');
    expect(businessDay(new Date('2026-10-25T23:00:00.000Z'))).toBe('2026-10-26');
  });

  it('keeps each zone apart: the same minute is another day in Nouméa (UTC+11)', () => {
    const t = new Date('2026-12-03T13:30:00Z');
    expect(businessDay(t, 'Europe/Paris')).toBe('2026-12-03');
    expect(businessDay(t, 'Pacific/Noumea')).toBe('2026-12-04');
    expect(businessDay(t, 'Europe/Paris')).toBe('2026-12-03');
  });

  it('takes an ISO string as well, and refuses an invalid date', () => {
    expect(businessDay('2026-12-03T23:00:00.000Z')).toBe('2026-12-04');
    expect(() => businessDay(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('zonedDateTime', () => {
  it('reads the instant on the shop’s clock, with its offset: +01:00 in winter, +02:00 in summer', () => {
    // 10:45:12 UTC on 7 December is 11:45:12 in Paris (CET, UTC+1).
    expect(zonedDateTime(new Date('2026-12-07T10:45:12.345Z'))).toBe('2026-12-07T11:45:12+01:00');
    // 22:30 UTC on 30 June is 00:30 on 1 July in Paris (CEST, UTC+2): the day moves too.
    expect(zonedDateTime(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01T00:30:00+02:00');
    // Another zone: Martinique is UTC−4 all year.
    expect(zonedDateTime(new Date('2026-12-07T10:45:12Z'), 'America/Martinique')).toBe('2026-12-07T06:45:12-04:00');
  });
});
