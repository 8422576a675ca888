import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../../src/config/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('region', 'region')).toBe(0);
    expect(editDistance('regoin', 'region')).toBe(1);
    expect(editDistance('regin', 'region')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('closest', () => {
  const fields = ['name', 'region', 'stack', 'maintenance', 'protect', 'config', 'config_mode', 'addons', 'formation', 'domains', 'drains'];
  it('finds near misses, ignoring case, dashes and underscores', () => {
    expect(closest('regoin', fields)).toBe('region');
    expect(closest('configMode', fields)).toBe('config_mode');
    expect(closest('config-mode', fields)).toBe('config_mode');
    expect(closest('add_ons', fields)).toBe('addons');
    expect(closest('formations', fields)).toBe('formation');
    expect(closest('Domains', fields)).toBe('domains');
  });
  it('suggests nothing when nothing is close', () => {
    expect(closest('buildpacks', fields)).toBeUndefined();
    expect(closest('x', fields)).toBeUndefined();
    expect(didYouMean('buildpacks', fields)).toBe('');
    expect(didYouMean('stak', fields)).toBe(': did you mean "stack"?');
  });
});
