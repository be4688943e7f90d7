import { describe, expect, it } from 'vitest';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * Tester (session 49): gate values typed the German or French way, 0,5 or 50%, or a number in quotes ("20"), got
 * '"gate.min_macro_f1" is "0,5", expected a number' with no word on what to write. The gate’s F1 settings are shares
 * from 0 to 1, min_test_objects a count. Each hint failed before the fix.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-number-hints-' });

const gate = (line: string) =>
  `collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\ngate:\n  min_class_f1: 0.3\n${line}\n`;

describe('params.yaml numbers written another way', () => {
  it('a decimal comma: write it with a point', async () => {
    expect(await errorOf(gate('  min_macro_f1: 0,5'))).toContain(
      'params.yaml:6: "gate.min_macro_f1" is "0,5", expected a number: write 0.5, with a point, not a comma',
    );
    expect(await errorOf(gate('  min_macro_f1: "0,5"'))).toContain(
      '"gate.min_macro_f1" is "0,5", expected a number: write 0.5, with a point, not a comma, and without quotes',
    );
  });

  it('a percentage of a share from 0 to 1: write the share', async () => {
    expect(await errorOf(gate('  min_macro_f1: 50%'))).toContain(
      '"gate.min_macro_f1" is "50%", expected a number: write 0.5 for 50% (this setting is a share: 1 is 100%)',
    );
    expect(await errorOf(gate('  max_macro_f1_drop: 2,5 %'))).toContain(
      'expected a number: write 0.025 for 2,5 % (this setting is a share: 1 is 100%)',
    );
    // A count is no share: no percentage hint.
    const count = await errorOf(gate('  min_test_objects: 30%'));
    expect(count).toContain('"gate.min_test_objects" is "30%", expected a whole number');
    expect(count).not.toContain('write');
  });

  it('a number in quotes: remove the quotes', async () => {
    expect(await errorOf(gate('  min_test_objects: "20"'))).toContain(
      '"gate.min_test_objects" is "20", expected a whole number: remove the quotes, which make it text to YAML',
    );
    expect(await errorOf(gate("  min_macro_f1: '0.5'"))).toContain('remove the quotes, which make it text to YAML');
  });

  it('a count with a thousands comma: write it without', async () => {
    expect(await errorOf('evaluate:\n  bootstrap: 2,000\n')).toContain(
      '"evaluate.bootstrap" is "2,000", expected a whole number: write 2000, without the comma',
    );
  });

  it('a count with underscores between its digits (1_000, as some code writes it): write it without', async () => {
    expect(await errorOf('evaluate:\n  bootstrap: 1_000\n')).toContain(
      '"evaluate.bootstrap" is "1_000", expected a whole number: write 1000, without the underscore',
    );
    expect(await errorOf(gate('  min_test_objects: "1_0"'))).toContain(
      'write 10, without the underscore, and without quotes',
    );
  });

  it('a number with a no-break space after it: delete the character', async () => {
    expect(await errorOf(gate('  min_test_objects: 30\u00a0'))).toContain(
      '"gate.min_test_objects" (30) has a character that looks like a space (U+00A0, a no-break space) after "30", ' +
        'which makes it text to YAML, not a number: delete it.',
    );
    // In quotes too, the quotes are to go: with the character alone deleted, "30" is still text (review).
    expect(await errorOf(gate('  min_test_objects: "30\u00a0"'))).toContain(
      'which makes it text to YAML, not a number: delete it, and the quotes.',
    );
  });

  it('gives no hint that would itself be refused, and still reads plain numbers', async () => {
    // 150% is no share the gate takes.
    expect(await errorOf(gate('  min_macro_f1: 150%'))).not.toContain('write');
    expect(await errorOf(gate('  min_macro_f1: abc'))).toMatch(/"gate.min_macro_f1" is "abc", expected a number$/m);
    const params = await load(gate('  min_macro_f1: 0.5\n  min_test_objects: 20'));
    expect(params.gate.min_macro_f1).toBe(0.5);
    expect(params.gate.min_test_objects).toBe(20);
  });
});

// Session 50 (brief): a count written 2.5 or "10 objects" must be told, with its line, that it takes a whole number,
// in those words, and what to write. "10 objects" was 'is "10 objects", expected a number'.
describe('params.yaml counts written otherwise', () => {
  it('with a fraction: a whole number, such as the two around it', async () => {
    expect(await errorOf(gate('  min_test_objects: 2.5'))).toBe(
      'params.yaml is not valid:\n  params.yaml:6: "gate.min_test_objects" is 2.5, expected a whole number (without ' +
        'a fraction): write 2 or 3',
    );
    expect(await errorOf('evaluate:\n  bootstrap: 1000.5\n')).toContain(
      'params.yaml:2: "evaluate.bootstrap" is 1000.5, expected a whole number (without a fraction): write 1000 or 1001',
    );
  });

  it('with a word after it: a whole number, the number alone', async () => {
    expect(await errorOf(gate('  min_test_objects: 10 objects'))).toBe(
      'params.yaml is not valid:\n  params.yaml:6: "gate.min_test_objects" is "10 objects", expected a whole number: ' +
        'write 10, the number alone',
    );
    expect(await errorOf(gate('  min_test_objects: "10 objects"'))).toContain(
      '"gate.min_test_objects" is "10 objects", expected a whole number: write 10, the number alone, and without quotes',
    );
    expect(await errorOf(gate('  min_test_objects: 2.5 objects'))).toContain(
      'params.yaml:6: "gate.min_test_objects" is "2.5 objects", expected a whole number',
    );
    expect(await errorOf(gate('  min_test_objects: thirty'))).toContain(
      'params.yaml:6: "gate.min_test_objects" is "thirty", expected a whole number',
    );
  });

  it('a share keeps its words: a number, with no whole-number advice', async () => {
    expect(await errorOf(gate('  min_macro_f1: 0.5 F1'))).toContain(
      '"gate.min_macro_f1" is "0.5 F1", expected a number: write 0.5, the number alone',
    );
  });
});
