import { describe, expect, it } from 'vitest';
import type { VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueLocation, catalogueStage } from '../../pipeline/stages/catalogue.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';

/* Where the catalogue is served: the Pages deploy's variables win over params.yaml, and a change rebuilds. */

function params(base = '/', site = '') {
  const p = defaultParams();
  p.catalogue.base = base;
  p.catalogue.site = site;
  return p;
}

function ctx(env: Record<string, string | undefined>, p = params()): StageContext {
  return { ws: workspace('/nonexistent-vitrine-root'), params: p, log: memoryLogger(), clock: systemClock, env };
}

describe('catalogue location', () => {
  it('takes params.yaml when the environment says nothing (or an empty value)', () => {
    expect(catalogueLocation({ params: params('my-repo', 'https://m.example/my-repo') })).toEqual({
      base: '/my-repo/',
      site: 'https://m.example/my-repo',
    });
    expect(
      catalogueLocation({
        params: params('/my-repo/'),
        env: { VITRINE_CATALOGUE_BASE: '', VITRINE_CATALOGUE_SITE: ' ' },
      }),
    ).toEqual({ base: '/my-repo/', site: '' });
  });

  it('takes the base path and site URL from VITRINE_CATALOGUE_BASE / _SITE over params.yaml', () => {
    const env = {
      VITRINE_CATALOGUE_BASE: '/collection',
      VITRINE_CATALOGUE_SITE: 'https://museum.github.io/collection',
    };
    expect(catalogueLocation({ params: params('/old/', 'https://old.example'), env })).toEqual({
      base: '/collection/',
      site: 'https://museum.github.io/collection',
    });
    // A root site (user pages or a custom domain) is "/", overriding a project path left in params.
    expect(catalogueLocation({ params: params('/old/'), env: { VITRINE_CATALOGUE_BASE: '/' } }).base).toBe('/');
  });

  it('refuses a full address as the base path, or a site URL that is not one, naming the variable', () => {
    const bad = (env: Record<string, string>) => {
      try {
        catalogueLocation({ params: params(), env });
      } catch (error) {
        return error as VitrineError;
      }
      throw new Error('expected an error');
    };
    const base = bad({ VITRINE_CATALOGUE_BASE: 'https://museum.github.io/collection/' });
    expect(base.code).toBe('CATALOGUE_BAD_BASE');
    expect(base.message).toContain('VITRINE_CATALOGUE_BASE');
    const site = bad({ VITRINE_CATALOGUE_SITE: 'museum.github.io' });
    expect(site.code).toBe('CATALOGUE_BAD_SITE');
    expect(site.message).toContain('VITRINE_CATALOGUE_SITE');
  });

  it('makes the override part of the stage fingerprint, so a new base path rebuilds the site', async () => {
    const fp = (env: Record<string, string | undefined>, p = params()) => catalogueStage.fingerprint!(ctx(env, p));
    const plain = await fp({});
    expect(await fp({ VITRINE_CATALOGUE_BASE: '' })).toEqual(plain);
    expect(await fp({ VITRINE_CATALOGUE_BASE: '/collection/' })).not.toEqual(plain);
    expect(await fp({ VITRINE_CATALOGUE_SITE: 'https://museum.github.io/collection' })).not.toEqual(plain);
    // The same location however it is spelled: no rebuild for "/collection" vs "collection/".
    expect(await fp({ VITRINE_CATALOGUE_BASE: '/collection' })).toEqual(
      await fp({ VITRINE_CATALOGUE_BASE: 'collection/' }),
    );
  });
});
