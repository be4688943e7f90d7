// Turns `vitrine monitor --check-retrain --json` (a RetrainDecision) into step outputs and a summary line.

import { randomBytes } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';

const file = process.argv[2];
if (!file) throw new Error('usage: node outputs.ts <decision.json>');
const decision = JSON.parse(await readFile(file, 'utf8')) as {
  retrain: boolean;
  reasons: string[];
  summaryLine?: string;
};
const delimiter = `vitrine_${randomBytes(8).toString('hex')}`;
const outputs = `retrain=${decision.retrain ? 'true' : 'false'}\nreasons<<${delimiter}\n${decision.reasons.join('\n')}\n${delimiter}\n`;
if (process.env.GITHUB_OUTPUT) await appendFile(process.env.GITHUB_OUTPUT, outputs);
if (process.env.GITHUB_STEP_SUMMARY && decision.summaryLine)
  await appendFile(process.env.GITHUB_STEP_SUMMARY, `${decision.summaryLine}\n`);
process.stdout.write(`${decision.retrain ? 'Retrain' : 'No retrain'}: ${decision.reasons.join('; ')}\n`);
