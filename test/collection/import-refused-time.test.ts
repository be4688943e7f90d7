import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Review 1, item 7: barcodes opened in Excel (every id 4.00001E+11). Keeping refused rows' previous objects
 * compared each refused row with every previous id, twice, even under on_invalid: fail where nothing is kept:
 * 20,000 rows took 5 min 20 s just to fail. The time must grow with the rows (10 times: about 10 times).
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-refused-time-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function params(onInvalid: 'fail' | 'skip'): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = onInvalid;
  return p;
}

/** A repository of `n` objects with 12-digit ids, then the same export as Excel saves it: the time it takes. */
async function excelTime(n: number, onInvalid: 'fail' | 'skip'): Promise<{ ms: number; error: unknown }> {
  const dir = path.join(root, `${n}-${onInvalid}`);
  await mkdir(dir, { recursive: true });
  const ws = workspace(path.join(dir, 'repo'));
  const numbers = Array.from({ length: n }, (_, i) => 400_000 + i);
  const write = async (file: string, ids: string[]) => {
    await writeFile(path.join(dir, file), ['id,image,label,title', ...ids.map((id) => `${id},,coin,T`), ''].join('\n'));
    return path.join(dir, file);
  };
  const full = await write(
    'full.csv',
    numbers.map((k) => `${k}000000`),
  );
  await importCollection({ ws, params: params('skip'), metadata: full, log: memoryLogger() });
  const excel = await write(
    'excel.csv',
    numbers.map((k) => `${String(k)[0]}.${String(k).slice(1)}E+11`),
  );
  const start = performance.now();
  const error = await importCollection({ ws, params: params(onInvalid), metadata: excel, log: memoryLogger() }).catch(
    (e: unknown) => e,
  );
  return { ms: performance.now() - start, error };
}

describe('an export of ids a spreadsheet wrote in scientific notation', () => {
  it('fails (on_invalid: fail) in time that grows with its rows', async () => {
    const small = await excelTime(1_000, 'fail');
    expect(isVitrineError(small.error, 'IMPORT_INVALID')).toBe(true);
    const big = await excelTime(10_000, 'fail');
    expect(isVitrineError(big.error, 'IMPORT_INVALID')).toBe(true);
    expect(big.ms).toBeLessThan(10 * small.ms + 2000);
  }, 120_000);

  it('is refused as most of the collection refused (on_invalid: skip), each row matched to its object', async () => {
    const small = await excelTime(1_000, 'skip');
    expect(isVitrineError(small.error, 'IMPORT_ROWS_REFUSED')).toBe(true);
    expect((small.error as Error).message).toMatch(/cannot update 1000 of the 1000 objects/);
    const big = await excelTime(10_000, 'skip');
    expect((big.error as Error).message).toMatch(/cannot update 10000 of the 10000 objects/);
    expect(big.ms).toBeLessThan(10 * small.ms + 2000);
  }, 120_000);
});
