import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/config/index.js';
import { unescapeLiteral } from '../../../src/config/interpolate.js';

describe('interpolate', () => {
  const env = { A: 'alpha', B: 'beta', EMPTY: '' };

  it('leaves text without ${ untouched (including lone dollars)', () => {
    expect(interpolate('costs $5 or $$6', env)).toEqual({ value: 'costs $5 or $$6', envRefs: [], missing: [], empty: [], invalid: [], parts: [] });
  });

  it('replaces each reference and lists each variable once, in order', () => {
    // An empty variable is reported (issue 15: CI passes "" for a missing secret); the config builder makes it an error.
    expect(interpolate('${env:B}-${env:A}-${env:B}${env:EMPTY}', env)).toEqual({ value: 'beta-alpha-beta', envRefs: ['B', 'A', 'EMPTY'], missing: [], empty: ['EMPTY'], invalid: [], parts: ['beta', 'alpha'] });
  });

  it('treats $${ as a literal ${', () => {
    expect(interpolate('$${env:A} and ${env:A}', env)).toMatchObject({ value: '${env:A} and alpha', envRefs: ['A'] });
    expect(interpolate('$$${env:A}', env)).toMatchObject({ value: '$${env:A}', envRefs: [] });
  });

  it('reports unset variables', () => {
    expect(interpolate('x${env:NOPE}y', env)).toEqual({ value: 'xy', envRefs: ['NOPE'], missing: ['NOPE'], empty: [], invalid: [], parts: [] });
  });

  it('reports malformed expressions with a hint', () => {
    expect(interpolate('${A}', env).invalid).toEqual([{ expression: '${A}', hint: 'did you mean ${env:A}? (write $${ for a literal "${")' }]);
    expect(interpolate('${env:1X}', env).invalid[0]?.expression).toBe('${env:1X}');
    expect(interpolate('${env:A', env).invalid[0]?.hint).toContain('no closing "}"');
    expect(interpolate('${file:/etc/passwd}', env).invalid[0]?.hint).toBe('only ${env:NAME} is supported (write $${ for a literal "${")');
  });

  it('does not read variables through the prototype chain', () => {
    expect(interpolate('${env:toString}', {}).missing).toEqual(['toString']);
  });
});

describe('unescapeLiteral', () => {
  it('turns $${ into ${ and nothing else', () => {
    expect(unescapeLiteral('a $${b} $c')).toBe('a ${b} $c');
  });
});
