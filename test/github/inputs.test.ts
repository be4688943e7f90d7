import { describe, expect, it } from 'vitest';
import {
  booleanInput,
  choiceInput,
  inputsFromEnv,
  integerInput,
  listInput,
  pathInput,
  repositoryInput,
  stringInput,
} from '../../actions/lib/inputs.ts';
import { isVitrineError } from '../../pipeline/errors.ts';

const from = (values: Record<string, string>) =>
  inputsFromEnv(Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])));

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('action input readers', () => {
  it('read INPUT_ variables as GitHub names them (spaces to underscores, dashes kept, trimmed)', () => {
    const get = inputsFromEnv({ 'INPUT_REPORT-DIR': '  out  ', INPUT_MY_INPUT: 'x' });
    expect(get('report-dir')).toBe('out');
    expect(get('my input')).toBe('x');
    expect(get('missing')).toBe('');
  });

  it('booleans take exactly the YAML 1.2 spellings and list them when wrong', () => {
    expect(booleanInput({ get: from({ a: 'True' }), name: 'a', fallback: false })).toBe(true);
    expect(booleanInput({ get: from({}), name: 'a', fallback: true })).toBe(true);
    const e = failure(() => booleanInput({ get: from({ a: 'yes' }), name: 'a', fallback: false }));
    expect(isVitrineError(e, 'ACTION_INPUT_INVALID')).toBe(true);
    expect(e.message).toBe('The input "a" is "yes", expected one of true, True, TRUE, false, False, FALSE.');
  });

  it('numbers, choices, lists, repositories and paths name the input, the value and the form', () => {
    expect(integerInput({ get: from({ n: '12' }), name: 'n', fallback: null, min: 1 })).toBe(12);
    expect(failure(() => integerInput({ get: from({ n: '1.5' }), name: 'n', fallback: null, min: 1 })).message).toBe(
      'The input "n" is "1.5", expected a whole number of at least 1.',
    );
    expect(
      failure(() => choiceInput({ get: from({ c: 'maybe' }), name: 'c', choices: ['a', 'b'], fallback: 'a' })).message,
    ).toBe('The input "c" is "maybe", expected one of a, b.');
    expect(listInput({ get: from({ l: 'self-hosted, gpu\nbig' }), name: 'l', fallback: [] })).toEqual([
      'self-hosted',
      'gpu',
      'big',
    ]);
    expect(listInput({ get: from({ l: '["a", "b"]' }), name: 'l', fallback: [] })).toEqual(['a', 'b']);
    expect(failure(() => listInput({ get: from({ l: '[a' }), name: 'l', fallback: [] })).message).toMatch(
      /^The input "l" is "\[a", expected a JSON array of strings/,
    );
    expect(repositoryInput({ get: from({}), name: 'repository', fallback: 'museum/collection' })).toEqual({
      owner: 'museum',
      repo: 'collection',
    });
    expect(
      failure(() => repositoryInput({ get: from({ repository: 'museum' }), name: 'repository', fallback: '' })).message,
    ).toBe('The input "repository" is "museum", expected the form owner/repo.');
    expect(pathInput({ get: from({ d: 'a/b' }), name: 'd', workspace: '/w', fallback: '.' })).toBe('/w/a/b');
    expect(
      failure(() => pathInput({ get: from({ d: '/etc' }), name: 'd', workspace: '/w', fallback: '.' })).message,
    ).toBe('The input "d" is "/etc", expected a path inside the workspace (/w).');
    expect(failure(() => stringInput({ get: from({}), name: 'github-token', required: true })).message).toBe(
      'The input "github-token" is required but was not given.',
    );
  });
});

describe("the report action's gate-changes input", () => {
  it('names both actions that produce it when it is not what they write', async () => {
    const { readSettings } = await import('../../actions/report/settings.ts');
    const e = failure(() =>
      readSettings({
        get: from({ 'gate-changes': '{"key": 1}', 'github-token': 't' }),
        env: { GITHUB_REPOSITORY: 'o/r', GITHUB_WORKSPACE: '/tmp' },
        event: {},
      }),
    );
    expect(isVitrineError(e, 'ACTION_INPUT_INVALID')).toBe(true);
    expect(e.message).toMatch(/the gate-changes output of choose-runner or of the pipeline action/);
  });
});
