import { describe, expect, it } from 'vitest';
import { findNetrcEntry, parseNetrc } from '../../../../src/providers/heroku/netrc.js';

describe('parseNetrc', () => {
  it('reads machines on one line and across lines', () => {
    const entries = parseNetrc(
      'machine api.heroku.com login a@example.com password tok1\n' +
        'machine git.heroku.com\n  login a@example.com\n  password tok2\n',
    );
    expect(entries).toEqual([
      { machine: 'api.heroku.com', login: 'a@example.com', password: 'tok1' },
      { machine: 'git.heroku.com', login: 'a@example.com', password: 'tok2' },
    ]);
  });

  it('skips comments and macdef bodies, and keeps quoted values', () => {
    const entries = parseNetrc(
      '# my creds\nmachine x login u password "p w"\nmacdef init\nmachine evil password nope\n\nmachine y password z # trailing\n',
    );
    expect(entries.map((e) => [e.machine, e.password])).toEqual([
      ['x', 'p w'],
      ['y', 'z'],
    ]);
  });

  it('matches the host with its port exactly, else falls back to default', () => {
    const entries = parseNetrc('machine 127.0.0.1 password noport\nmachine 127.0.0.1:5000 password withport\ndefault password dflt\n');
    expect(findNetrcEntry(entries, '127.0.0.1:5000')?.password).toBe('withport');
    expect(findNetrcEntry(entries, '127.0.0.1')?.password).toBe('noport');
    expect(findNetrcEntry(entries, 'API.HEROKU.COM')?.password).toBe('dflt');
    expect(findNetrcEntry(parseNetrc('machine a password b'), 'c')).toBeUndefined();
  });
});
