import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { z } from 'zod';
import { withBaseGate } from '../../pipeline/github/guard.ts';
import { VERDICT_SETTINGS } from '../../pipeline/github/verdict-settings.ts';
import { defaultParams, paramsSchema, validateParams } from '../../pipeline/params.ts';

/*
 * Which params.yaml settings decide a pull request's verdict is a decision, not a list someone remembers to
 * extend: every setting of the schema (pipeline/params.ts) must be in VERDICT_SETTINGS
 * (pipeline/github/verdict-settings.ts)
 * as deciding it or not, so a setting added later fails here until someone decides. Until then the pull request
 * is judged by the base's value of it (an unknown setting may decide).
 */

type Schema = z.ZodType & { def: { type: string; innerType?: Schema; in?: Schema; shape?: Record<string, Schema> } };

/** Each setting's key and schema, from the schema itself: an object's keys are walked into, anything else is one. */
function settings(schema: Schema, prefix = ''): { key: string; schema: Schema }[] {
  let s = schema;
  while (s.def.innerType || (s.def.type === 'pipe' && s.def.in)) s = (s.def.innerType ?? s.def.in)!;
  if (s.def.type === 'object')
    return Object.entries(s.def.shape!).flatMap(([k, v]) => settings(v, prefix ? `${prefix}.${k}` : k));
  return [{ key: prefix, schema: s }];
}

const ALL = settings(paramsSchema as unknown as Schema);
const DECIDES: string[] = [...VERDICT_SETTINGS.decides, ...Object.keys(VERDICT_SETTINGS.decidesWhen)];
const DOES_NOT: string[] = [...VERDICT_SETTINGS.doesNot];

function at(value: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
}

function nest(key: string, value: unknown): Record<string, unknown> {
  return key
    .split('.')
    .reverse()
    .reduce<unknown>((v, k) => ({ [k]: v }), value) as Record<string, unknown>;
}

/** A value of the setting other than its default that the schema accepts (null: none found). */
function another(key: string, schema: Schema): unknown {
  const was = at(defaultParams(), key);
  const entries = (schema.def as { entries?: Record<string, string> }).entries;
  const candidates: unknown[] =
    typeof was === 'number'
      ? [was + 1, was * 2, was / 2, 0, 1, 0.5, 0.25, 2, 3, 7, 100]
      : typeof was === 'boolean'
        ? [!was]
        : typeof was === 'string'
          ? [...Object.values(entries ?? {}), 'other-value', 'none', '#000000', 'v2', 'https://other.example', 'de']
          : Array.isArray(was)
            ? [[...was].reverse(), was.slice(0, Math.max(1, was.length - 1)), [...was, ...was.slice(0, 1)], ['a', 'b']]
            : [{ 'Old Kingdom': [-2686, -2181] }];
  for (const c of candidates) {
    if (JSON.stringify(c) === JSON.stringify(was)) continue;
    try {
      validateParams({ raw: nest(key, c) });
      return c;
    } catch {
      // Not a value this setting accepts: the next one.
    }
  }
  return null;
}

describe('which params.yaml settings decide a pull request’s verdict', () => {
  it('has every setting of the schema classified, once, and nothing that is not a setting', () => {
    const keys = ALL.map((s) => s.key);
    expect(keys.length).toBeGreaterThan(100);
    const unclassified = keys.filter((k) => !DECIDES.includes(k) && !DOES_NOT.includes(k));
    expect(
      unclassified,
      'A params.yaml setting is neither in VERDICT_SETTINGS.decides (or decidesWhen) nor in doesNot ' +
        '(pipeline/github/verdict-settings.ts): decide whether a pull request may change it and still be judged with it',
    ).toEqual([]);
    expect(DECIDES.filter((k) => DOES_NOT.includes(k))).toEqual([]);
    expect([...DECIDES, ...DOES_NOT].filter((k) => !keys.includes(k))).toEqual([]);
    expect(new Set(DOES_NOT).size).toBe(DOES_NOT.length);
    expect(new Set(DECIDES).size).toBe(DECIDES.length);
  });

  it('counts the whole gate as deciding', () => {
    for (const key of ALL.map((s) => s.key).filter((k) => k.startsWith('gate.'))) expect(DECIDES).toContain(key);
  });

  it("judges a pull request by the base's value of each deciding setting, and by its own of every other", () => {
    let tried = 0;
    for (const { key, schema } of ALL) {
      if (key in VERDICT_SETTINGS.decidesWhen) continue;
      const value = another(key, schema);
      expect(value, `no other valid value found for ${key}`).not.toBeNull();
      // A collection section names the collection and its labels (else params.yaml is refused, PARAMS_MISSING), and
      // a file with import settings has one (else it is a museum's whose section was deleted, PARAMS_MISSING too).
      const written = nest(key, value) as { collection?: Record<string, unknown>; import?: unknown };
      if (written.collection || written.import)
        written.collection = {
          name: defaultParams().collection.name,
          vocabulary: defaultParams().collection.vocabulary,
          ...written.collection,
        };
      const head = stringify(written);
      const { text, changes } = withBaseGate({ head, base: null });
      if (DECIDES.includes(key)) {
        expect(changes, key).toEqual([{ key, base: at(defaultParams(), key), head: value }]);
        expect(at(parse(text), key), key).toEqual(at(defaultParams(), key));
      } else {
        expect(changes, key).toEqual([]);
        expect(text, key).toBe(head);
      }
      tried++;
    }
    expect(tried).toBe(ALL.length - Object.keys(VERDICT_SETTINGS.decidesWhen).length);
  });

  it('pins the settings that decide by leaving test objects out or by naming the status', () => {
    const base =
      'dataset:\n  on_invalid: fail\n  image:\n    max_pixels: 50000000\nreport:\n  status_context: museum/gate\n';
    const head = 'dataset:\n  on_invalid: skip\n  image:\n    max_pixels: 1000\nreport:\n  status_context: other\n';
    const { text, changes } = withBaseGate({ head, base });
    expect(changes).toEqual([
      { key: 'dataset.image.max_pixels', base: 50_000_000, head: 1000 },
      { key: 'dataset.on_invalid', base: 'fail', head: 'skip' },
      { key: 'report.status_context', base: 'museum/gate', head: 'other' },
    ]);
    expect(parse(text)).toEqual(parse(base));
  });

  it("keeps the base's evaluate.group_by only while its unseen-source check is on", () => {
    const head = 'evaluate:\n  group_by: photographer\n';
    const on = withBaseGate({ head, base: 'evaluate:\n  group_by: department\ngate:\n  min_unseen_macro_f1: 0.4\n' });
    expect(on.changes).toContainEqual({ key: 'evaluate.group_by', base: 'department', head: 'photographer' });
    expect(parse(on.text).evaluate.group_by).toBe('department');
    const off = withBaseGate({ head, base: 'evaluate:\n  group_by: department\n' });
    expect(off.changes).toEqual([]);
    expect(off.text).toBe(head);
  });

  it("keeps the base's dataset.split.validation when the head's would leave less than a tenth to train", () => {
    const base = 'dataset:\n  split:\n    validation: 0.15\n    test: 0.2\n';
    const greedy = withBaseGate({ head: 'dataset:\n  split:\n    validation: 0.75\n    test: 0.1\n', base });
    expect(greedy.changes).toEqual([
      { key: 'dataset.split.test', base: 0.2, head: 0.1 },
      { key: 'dataset.split.validation', base: 0.15, head: 0.75 },
    ]);
    expect(parse(greedy.text).dataset.split).toEqual({ validation: 0.15, test: 0.2 });
    const fine = withBaseGate({ head: 'dataset:\n  split:\n    validation: 0.3\n    test: 0.2\n', base });
    expect(fine.changes).toEqual([]);
  });

  it("keeps the base's value of a setting nobody has classified yet: it may decide the verdict", () => {
    const head = 'train:\n  epochs: 12\n';
    const doesNot = VERDICT_SETTINGS.doesNot.filter((k) => k !== 'train.epochs');
    const { text, changes } = withBaseGate({ head, base: 'train:\n  epochs: 80\n', doesNot });
    expect(changes).toEqual([{ key: 'train.epochs', base: 80, head: 12 }]);
    expect(parse(text).train.epochs).toBe(80);
  });
});

// Reviewer V10 (HIGH): the gate leaves a class with fewer test objects than dataset.min_test_per_class unjudged by its
// F1, and a pull request's own value was kept: `min_test_per_class: 1000` switched the per-class check off.
describe('a pull request raising dataset.min_test_per_class', () => {
  it('is judged by the base branch’s value', () => {
    const base = 'collection:\n  name: T\n  vocabulary: [coin, mask, vase]\n';
    const head = `${base}dataset:\n  min_test_per_class: 1000\n`;
    const { text, changes } = withBaseGate({ head, base });
    expect(validateParams(parse(text)).dataset.min_test_per_class).toBe(5);
    expect(changes).toEqual([{ key: 'dataset.min_test_per_class', base: 5, head: 1000 }]);
  });
});
