import { describe, expect, it } from 'vitest';
import {
  assignTagName,
  deregisterTagName,
  nextCounter,
  parseGtoTag,
  registerTagName,
  unassignTagName,
} from '../../pipeline/registry/gto.ts';
import { bumpVersion, compareVersions, decideBump } from '../../pipeline/registry/semver.ts';

describe('GTO tag names', () => {
  it('writes registration and assignment tags as gto does', () => {
    expect(registerTagName({ name: 'collection-classifier', version: 'v1.2.0' })).toBe('collection-classifier@v1.2.0');
    expect(assignTagName({ name: 'collection-classifier', stage: 'prod', counter: 3 })).toBe(
      'collection-classifier#prod#3',
    );
    expect(deregisterTagName({ name: 'm', version: 'v0.0.1', counter: 4 })).toBe('m@v0.0.1!#4');
    expect(unassignTagName({ name: 'm', stage: 'prod', counter: 5 })).toBe('m#prod!#5');
  });

  it('parses every kind of GTO tag and rejects other tags', () => {
    expect(parseGtoTag('rf@v1.2.0')).toEqual({ action: 'register', name: 'rf', version: 'v1.2.0' });
    expect(parseGtoTag('rf@v1.2.0-rc.1+build.5')).toMatchObject({ action: 'register', version: 'v1.2.0-rc.1+build.5' });
    expect(parseGtoTag('rf#prod#7')).toEqual({ action: 'assign', name: 'rf', stage: 'prod', counter: 7 });
    expect(parseGtoTag('rf#prod')).toEqual({ action: 'assign', name: 'rf', stage: 'prod' });
    expect(parseGtoTag('rf#prod!#8')).toEqual({ action: 'unassign', name: 'rf', stage: 'prod', counter: 8 });
    expect(parseGtoTag('rf@v1.0.0!#9')).toEqual({ action: 'deregister', name: 'rf', version: 'v1.0.0', counter: 9 });
    expect(parseGtoTag('rf@deprecated#10')).toEqual({ action: 'deprecate', name: 'rf', counter: 10 });
    expect(parseGtoTag('models=rf@v1.0.0')).toMatchObject({ name: 'models=rf', version: 'v1.0.0' });
    for (const other of ['v1.2.0', 'rf@1.2.0', 'RF@v1.0.0', 'rf@v1.0', 'rf#Prod#1', 'release-2024', 'rf@latest'])
      expect(parseGtoTag(other)).toBeNull();
  });

  it('counts on from the artifact’s highest counter, across stages, as gto does', () => {
    const tags = ['m@v1.0.0', 'm#prod#1', 'm#staging#4', 'other#prod#9', 'm@v1.1.0', 'v3'];
    expect(nextCounter({ name: 'm', tags })).toBe(5);
    expect(nextCounter({ name: 'new', tags })).toBe(1);
  });
});

describe('SemVer rule', () => {
  const base = { labels: ['coin', 'mask'], data: 'd1.dir', labelsMd5: 'l1' };
  it('bumps major when the vocabulary changes, minor for new data or labels, patch otherwise', () => {
    expect(decideBump({ previous: base, next: { ...base, labels: ['coin', 'mask', 'vessel'] } })).toMatchObject({
      bump: 'major',
      reason: expect.stringContaining('added vessel'),
    });
    expect(decideBump({ previous: base, next: { ...base, labels: ['mask', 'coin'] } })).toMatchObject({
      bump: 'major',
      reason: expect.stringContaining('reordered'),
    });
    expect(decideBump({ previous: base, next: { ...base, labelsMd5: 'l2' } })).toMatchObject({
      bump: 'minor',
      reason: 'labels changed',
    });
    expect(decideBump({ previous: base, next: { ...base, data: 'd2.dir' } })).toMatchObject({ bump: 'minor' });
    expect(decideBump({ previous: base, next: { ...base } })).toMatchObject({ bump: 'patch' });
  });

  it('bumps and orders versions', () => {
    expect(bumpVersion({ version: 'v1.2.3', bump: 'major' })).toBe('v2.0.0');
    expect(bumpVersion({ version: 'v1.2.3', bump: 'minor' })).toBe('v1.3.0');
    expect(bumpVersion({ version: 'v1.2.3', bump: 'patch' })).toBe('v1.2.4');
    expect(['v1.10.0', 'v1.2.0', 'v1.2.0-rc.1', 'v0.9.9'].sort(compareVersions)).toEqual([
      'v0.9.9',
      'v1.2.0-rc.1',
      'v1.2.0',
      'v1.10.0',
    ]);
    expect(() => bumpVersion({ version: '1.2', bump: 'patch' })).toThrow(/expected the form v1.2.0/);
  });
});
