import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { markedWorkflow } from '../../pipeline/init/workflows.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A museum's workflows are its own copies (vitrine init never overwrites them), so one written by an earlier Vitrine
 * runs a newer Vitrine's actions without that Vitrine's fixes to the workflow, and nothing said so. setup-data warns
 * when the workflow that runs it is not the template of the Vitrine it installs. Its step's own script, run with bash.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const SHA = 'a1b2c3d4e5'.repeat(4);
const TEMPLATE = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./actions/setup-data\n';

async function step(): Promise<string> {
  const action = parse(await readFile(path.join(ROOT, 'actions', 'setup-data', 'action.yml'), 'utf8')) as {
    runs: { steps: { name?: string; run?: string }[] };
  };
  return action.runs.steps.find((s) => s.name === "Compare this workflow with Vitrine's")!.run!;
}

/** The step run with Vitrine (its template) in `home` and the museum's checkout with `workflow` in `workspace`. */
async function compare({
  workflow,
  same = false,
  template = TEMPLATE,
}: {
  workflow: string;
  same?: boolean;
  template?: string;
}): Promise<string> {
  const dir = await tempDir('vitrine-workflow-age-');
  const home = path.join(dir, 'vitrine');
  const workspace = same ? home : path.join(dir, 'museum');
  await mkdir(path.join(home, '.github', 'workflows'), { recursive: true });
  await mkdir(path.join(home, 'actions', 'setup-data'), { recursive: true });
  await writeFile(path.join(home, 'package.json'), '{"name":"vitrine","version":"0.3.0"}');
  await writeFile(path.join(home, '.github', 'workflows', 'main.yml'), template);
  await mkdir(path.join(workspace, '.github', 'workflows'), { recursive: true });
  if (!same) await writeFile(path.join(workspace, '.github', 'workflows', 'main.yml'), workflow);
  const { stdout } = await run('bash', ['-e', '-c', await step()], {
    env: {
      PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      VITRINE_HOME: path.join(home, 'actions', 'setup-data', '..', '..'),
      WORKFLOW_REF: 'museumorg/collection/.github/workflows/main.yml@refs/heads/main',
      GITHUB_WORKSPACE: workspace,
    },
  });
  return stdout;
}

const pointed = (text: string) =>
  text.replace(/uses: \.\/actions\/([\w-]+)/g, `uses: museumorg/vitrine/actions/$1@${SHA}`);

describe('setup-data’s comparison of the workflow with Vitrine’s', () => {
  it('says nothing when the workflow is this Vitrine’s template, as init wrote it', async () => {
    expect(await compare({ workflow: markedWorkflow({ body: pointed(TEMPLATE), version: '0.3.0' }) })).toBe('');
  });

  it('warns, naming the file and the update, when it is an earlier Vitrine’s', async () => {
    const older = markedWorkflow({ body: pointed(TEMPLATE.replace('push', '[push]')), version: '0.2.0' });
    const said = await compare({ workflow: older });
    expect(said).toMatch(/^::warning file=\.github\/workflows\/main\.yml::/);
    expect(said).toContain('is not the workflow of Vitrine 0.3.0, whose actions it runs (written by Vitrine 0.2.0');
    expect(said).toContain('npx vitrine init --update-workflows');
    // Without the mark (an init before it): said too.
    expect(await compare({ workflow: pointed(TEMPLATE.replace('push', '[push]')) })).toContain(
      'written by an earlier Vitrine',
    );
  });

  it('says nothing when only a pinned action’s version differs (Dependabot), or for a byte-order mark', async () => {
    const pinned = TEMPLATE.replace('steps:\n', 'steps:\n      - uses: actions/checkout@1111 # v4.4.0\n');
    expect(pinned).toContain('actions/checkout@1111');
    const bumped = pinned.replace('actions/checkout@1111 # v4.4.0', 'actions/checkout@2222 # v4.5.0');
    expect(
      await compare({ workflow: markedWorkflow({ body: pointed(bumped), version: '0.3.0' }), template: pinned }),
    ).toBe('');
    const bom = `\uFEFF${markedWorkflow({ body: pointed(TEMPLATE), version: '0.3.0' })}`;
    expect(await compare({ workflow: bom })).toBe('');
  });

  it('says nothing in Vitrine’s own repository, whose workflows are the templates', async () => {
    expect(await compare({ workflow: '', same: true })).toBe('');
  });
});
