import { describe, expect, it } from 'vitest';
import { runWorker, startWorker } from '../pipeline/worker.ts';

/*
 * The one way Vitrine starts an eval'd worker thread (pipeline/worker.ts): an answer, a throw and an early end are
 * each said once, and a thread ended on purpose is not a failure.
 */

describe('worker threads', () => {
  it('runs a script to its one answer, with its data', async () => {
    const source = `const { parentPort, workerData } = require('node:worker_threads'); parentPort.postMessage(workerData * 2);`;
    expect(await runWorker<number>({ source, name: 'the doubler', data: 21 })).toBe(42);
  });

  it('a throw in the thread is the error', async () => {
    await expect(runWorker({ source: `throw new Error('no disk')`, name: 'the check' })).rejects.toThrow('no disk');
  });

  it('a thread that ends without answering is an error naming it, not a wait for ever', async () => {
    await expect(runWorker({ source: 'process.exit(3)', name: 'the check' })).rejects.toThrow(
      'the check stopped (exit code 3)',
    );
    await expect(runWorker({ source: '', name: 'the check' })).rejects.toThrow('the check stopped (exit code 0)');
  });

  it('a failure, or the end of the thread, is said once', async () => {
    const source = `require('node:worker_threads').parentPort.on('message', (m) => { if (m === 'fail') throw new Error('bad'); });`;
    const run = async (act: (w: ReturnType<typeof startWorker>) => Promise<void>) => {
      const stops: string[] = [];
      let stopped: () => void = () => {};
      const once = new Promise<void>((resolve) => (stopped = resolve));
      const worker = startWorker({
        source,
        name: 'the writer',
        onMessage: () => {},
        onStop: (e) => {
          stops.push(e.message);
          stopped();
        },
      });
      await act(worker);
      await once;
      await worker.terminate();
      return stops;
    };
    // Ended on purpose: said as the end (answers still owed will not come).
    expect(await run((w) => w.terminate())).toEqual([expect.stringMatching(/^the writer stopped \(exit code \d\)$/)]);
    // A throw, then its exit and a terminate: said once, as the throw.
    expect(await run(async (w) => w.post('fail'))).toEqual(['bad']);
  });
});
