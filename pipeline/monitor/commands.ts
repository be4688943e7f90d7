import { appendFile } from 'node:fs/promises';
import type { Command, CommandContext } from '../cli/command.ts';
import { holdRunLock } from '../cli/run-lock.ts';
import { loadParams, type Params } from '../params.ts';
import { rel } from '../paths.ts';

/** Bring `.vitrine/dataset` up to date (skipped when nothing changed), so new objects are seen. */
async function refreshDataset(ctx: CommandContext, params: Params): Promise<void> {
  // The same lock as `vitrine run`: a scheduled monitor beside a run would write the same dataset.
  const [{ datasetStage }, { runStages }] = await Promise.all([
    import('../stages/dataset.ts'),
    import('../stages/graph.ts'),
  ]);
  const release = await holdRunLock({ ws: ctx.ws, log: ctx.log });
  try {
    await runStages({
      ctx: { ws: ctx.ws, params, log: ctx.log, clock: ctx.clock, env: ctx.env },
      stages: [datasetStage],
      targets: ['dataset'],
    });
  } finally {
    await release();
  }
}

/*
 * `vitrine monitor`: is the collection drifting away from what the production model learned, and
 * should the scheduled run retrain? Thin wrappers over pipeline/monitor/run.ts.
 */

const monitorCommand: Command = {
  name: 'monitor',
  summary: 'Check whether new objects look different from the training data (drift), or whether to retrain.',
  help: `Compares the objects added since the production model with the objects it was trained on:
their photographs (as the model's backbone sees them), simple image statistics (size, brightness,
colour, background) and the labels the model predicts. Writes .vitrine/monitor/drift.json and prints
what changed in plain words, naming the objects least like anything in training.

  npx vitrine monitor                      compare with the production model's training objects
  npx vitrine monitor --reference main     compare the objects added since the "main" branch
  npx vitrine monitor --check-retrain      decide whether the scheduled run should retrain

The dataset stage runs first when data/ or labels.csv changed, so new objects are included.
--check-retrain prints "retrain=true" or "retrain=false" (and the reasons); in GitHub Actions it
also sets the step output "retrain" and adds a line to the job summary (with --json it prints only
the decision as JSON, for the check-retrain action). Thresholds are in params.yaml (monitor and
retrain sections).`,
  options: {
    reference: {
      type: 'string',
      description: 'A branch, tag or commit to compare against instead of the production model.',
    },
    'check-retrain': { type: 'boolean', description: 'Decide whether to retrain (new labels, new objects, drift).' },
    'skip-dataset': {
      type: 'boolean',
      description: 'Use .vitrine/dataset as it is instead of bringing it up to date first.',
    },
  },
  async run(ctx, { values }) {
    const params = await loadParams({ file: ctx.ws.params });
    // The monitor's code is imported as it runs: the command table loads this module for `vitrine --help` too.
    const { checkRetrain, monitorDrift } = await import('./run.ts');
    if (!values['skip-dataset']) await refreshDataset(ctx, params);
    if (values['check-retrain']) {
      const decision = await checkRetrain({ ws: ctx.ws, params, log: ctx.log, clock: ctx.clock });
      const { report, ...plain } = decision;
      if (ctx.json) {
        // With --json the caller (the check-retrain action) sets the outputs and the summary itself.
        const drift = report
          ? { drifted: report.drifted, signals: report.driftedSignals, summary: report.summary }
          : null;
        ctx.out(`${JSON.stringify({ ...plain, drift }, null, 2)}\n`);
        return 0;
      }
      ctx.out(`retrain=${decision.retrain}\n${decision.reasons.map((r) => `  ${r}`).join('\n')}\n`);
      // In a GitHub Actions step the workflow reads the decision from the step output and the summary.
      if (ctx.env.GITHUB_OUTPUT) await appendFile(ctx.env.GITHUB_OUTPUT, `retrain=${decision.retrain}\n`);
      if (ctx.env.GITHUB_STEP_SUMMARY) await appendFile(ctx.env.GITHUB_STEP_SUMMARY, `${decision.summaryLine}\n`);
      return 0;
    }
    const reference = typeof values.reference === 'string' && values.reference !== '' ? values.reference : undefined;
    const { report, corrections, files } = await monitorDrift({
      ws: ctx.ws,
      params,
      log: ctx.log,
      clock: ctx.clock,
      reference,
    });
    if (ctx.json) {
      ctx.out(`${JSON.stringify({ report, corrections }, null, 2)}\n`);
      return 0;
    }
    const lines = [report.summary];
    if (report.unfamiliar.length > 0) {
      lines.push(
        '',
        `Least familiar new objects (cosine distance to the closest of ${report.reference.description}, 0-2):`,
      );
      for (const u of report.unfamiliar)
        lines.push(`  ${u.id.padEnd(16)} ${u.distance.toFixed(3)}${u.unusual ? '  unusual' : ''}  ${u.title}`);
    }
    if (corrections)
      lines.push(
        '',
        `Labels corrected since ${corrections.modelVersion}: ${corrections.changed} ` +
          `(${(corrections.rate * 100).toFixed(1)}% of labelled objects), ${corrections.added} newly ` +
          `labelled.`,
      );
    lines.push('', `Written: ${files.map((f) => rel(ctx.ws, f)).join(', ')}`);
    ctx.out(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** Monitoring commands for the CLI. */
export const monitorCommands: Command[] = [monitorCommand];
