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
    expect(count).toContain('"gate.min_test_objects" is "30%", expected a number');
    expect(count).not.toContain('write');
  });

  it('a number in quotes: remove the quotes', async () => {
    expect(await errorOf(gate('  min_test_objects: "20"'))).toContain(
      '"gate.min_test_objects" is "20", expected a number: remove the quotes, which make it text to YAML',
    );
    expect(await errorOf(gate("  min_macro_f1: '0.5'"))).toContain('remove the quotes, which make it text to YAML');
  });

  it('a count with a thousands comma: write it without', async () => {
    expect(await errorOf('evaluate:\n  bootstrap: 2,000\n')).toContain(
      '"evaluate.bootstrap" is "2,000", expected a number: write 2000, without the comma',
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
