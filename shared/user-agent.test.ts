import { describe, expect, it } from 'vitest';
import { browserOf } from './user-agent.ts';

// User agents copied from the browsers themselves (their vendors' documented strings).
describe('naming a paired tablet’s browser from its user agent', () => {
  it('reads the browsers a shop’s tablets and phones run', () => {
    const cases: [string, string, string][] = [
      [
        'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
        'Chrome',
        'Android',
      ],
      [
        'Mozilla/5.0 (Linux; Android 14; SM-X510) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36',
        'Samsung Internet',
        'Android',
      ],
      [
        'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
        'Safari',
        'iPadOS',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
        'Chrome',
        'iOS',
      ],
      ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox', 'Windows'],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
        'Edge',
        'Windows',
      ],
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.85 Safari/537.36',
        'Chrome',
        'Linux',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
        'Safari',
        'macOS',
      ],
    ];
    for (const [ua, browser, system] of cases) expect(browserOf(ua), ua).toEqual({ browser, system });
  });

  it('reads what it can of a user agent cut at 60 characters (tablets paired before it was kept whole)', () => {
    // The first 60 characters of Chrome on Android stop before "Chrome/": the system is still known.
    expect(browserOf('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML')).toEqual({ browser: null, system: 'Android' });
  });

  it('reads nothing from a name a person gave the tablet, or from no label', () => {
    expect(browserOf('Tablette Windows du comptoir')).toEqual({ browser: null, system: null });
    expect(browserOf(null)).toEqual({ browser: null, system: null });
    expect(browserOf('node')).toEqual({ browser: null, system: null });
  });
});
