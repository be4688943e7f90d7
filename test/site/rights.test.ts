import { describe, expect, it } from 'vitest';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

describe('rights statements', () => {
  it('maps common rights text to Creative Commons and rightsstatements.org URIs', () => {
    expect(rightsOf('CC0 (The Met Open Access; API isPublicDomain=true)')).toMatchObject({
      uri: 'https://creativecommons.org/publicdomain/zero/1.0/',
      badge: 'CC0',
      download: true,
    });
    expect(rightsOf('CC0 1.0 Universal')).toMatchObject({ uri: 'https://creativecommons.org/publicdomain/zero/1.0/' });
    expect(rightsOf('Public domain')).toMatchObject({
      uri: 'https://creativecommons.org/publicdomain/mark/1.0/',
      badge: 'Public domain',
      download: true,
    });
    expect(rightsOf('Public Domain (Art Institute of Chicago Open Access)')).toMatchObject({
      uri: 'https://creativecommons.org/publicdomain/mark/1.0/',
    });
    expect(rightsOf('CC BY-NC-SA 4.0')).toMatchObject({
      uri: 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
      badge: 'CC BY-NC-SA 4.0',
      download: true,
    });
    expect(rightsOf('Creative Commons Attribution 4.0 International')).toMatchObject({
      uri: 'https://creativecommons.org/licenses/by/4.0/',
      badge: 'CC BY 4.0',
    });
    expect(rightsOf('CC-BY')).toMatchObject({ uri: 'https://creativecommons.org/licenses/by/4.0/' });
    expect(rightsOf('In Copyright')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/InC/1.0/',
      badge: 'In Copyright',
      download: false,
    });
    expect(rightsOf('In copyright - educational use permitted')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/InC-EDU/1.0/',
      download: false,
    });
    expect(rightsOf('No known copyright restrictions')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/NKC/1.0/',
      download: true,
    });
    expect(rightsOf('No Copyright - United States')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/NoC-US/1.0/',
      download: true,
    });
    expect(rightsOf('Copyright not evaluated')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/CNE/1.0/',
      download: false,
    });
    expect(rightsOf('Copyright undetermined')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/UND/1.0/',
      download: false,
    });
    expect(rightsOf('© 2019 The Artist. All rights reserved.')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/InC/1.0/',
      download: false,
    });
    expect(rightsOf('https://rightsstatements.org/page/NoC-NC/1.0/?language=en')).toMatchObject({
      uri: 'http://rightsstatements.org/vocab/NoC-NC/1.0/',
      download: true,
    });
    expect(rightsOf('http://creativecommons.org/licenses/by-nd/3.0/')).toMatchObject({
      uri: 'https://creativecommons.org/licenses/by-nd/3.0/',
      badge: 'CC BY-ND 3.0',
    });
  });

  it('offers no download when the rights are unknown or unrecognised', () => {
    expect(rightsOf('')).toEqual({
      text: '',
      uri: null,
      label: 'Rights not yet determined',
      badge: null,
      download: false,
    });
    expect(rightsOf('Ask the registrar')).toMatchObject({ uri: null, download: false });
  });
});
