import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS } from '../../actions/choose-runner/settings.ts';
import { GUARD_MARKER } from '../../pipeline/github/guard.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, type PullRequestEvent, parseOutputs } from './run-action.ts';

/*
 * What the guard says (its `reason` output, its comment and the gate status) must be true of the pull request's
 * own files: museum staff act on these words. An outside tester found a deleted labels.csv called "a file other
 * than the data files", data/objects.csv called code, and a fork's comment naming a file it does not change. The
 * choose-runner action runs its bundle (dist/index.mjs, as GitHub's runner does; test/github/build.test.ts checks
 * that it is built from the current source) against GitHub's REST on 127.0.0.1, with real pull_request payloads.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LABELS = 'object_id,label\nDM-1,coin\n';
let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function guard({
  files,
  fork = false,
  inputs = {},
  earlier,
}: {
  /** The pull request's files, as GitHub lists them (previous_filename: a renamed file's old path). */
  files: { filename: string; status: string; previous_filename?: string }[];
  fork?: boolean;
  /** The action's inputs by name (settings.ts INPUTS), besides the token and the API's address. */
  inputs?: Record<string, string>;
  /** A comment an earlier run of the guard left on the pull request. */
  earlier?: string;
}) {
  gh = await startFakeGitHub();
  const event = examplePayload('opened') as PullRequestEvent;
  if (fork) asFork(event);
  const number = event.pull_request.number;
  const sha = event.pull_request.head.sha;
  gh.pullFiles.set(number, files);
  if (earlier) gh.addComment(number, earlier, 'github-actions[bot]');
  gh.contents.set(
    sha,
    new Map([
      ['labels.csv', { type: 'file' as const, text: LABELS }],
      ['data/objects.csv', { type: 'file' as const, text: 'id,title,image\nDM-1,Bowl,images/DM-1.jpg\n' }],
    ]),
  );
  const dir = await tempDir('vitrine-guard-words-');
  await writeFile(path.join(dir, 'event.json'), JSON.stringify(event));
  await writeFile(path.join(dir, 'output'), '');
  const input = (name: string) => `INPUT_${name.toUpperCase()}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_EVENT_NAME: 'pull_request_target',
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    RUNNER_TEMP: dir,
    [input(INPUTS.token)]: 'test-token',
    [input(INPUTS.apiUrl)]: gh.url,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [input(k), v])),
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'actions', 'choose-runner', 'dist', 'index.mjs')], {
    cwd: dir,
    env,
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  expect(await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1))), log).toBe(0);
  const outputs = parseOutputs(await readFile(path.join(dir, 'output'), 'utf8'));
  const gate = gh.statuses.filter((s) => s.context === 'vitrine/gate');
  const comments = (gh.comments.get(number) ?? []).map((c) => c.body);
  return { outputs, gate, comments, sha };
}

describe('the guard’s words on a pull request', () => {
  it('says plainly that a pull request deletes labels.csv, never that it is a file other than the data files', async () => {
    const { outputs, gate, comments } = await guard({ files: [{ filename: 'labels.csv', status: 'removed' }] });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('deletes labels.csv');
    expect(outputs.reason).toContain('staff');
    expect(outputs.reason).not.toMatch(/other than the data files/);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(comment).toContain('`labels.csv`: the pull request deletes it');
    expect(comment).not.toMatch(/other than the data files|not a data file|never its code|params\.yaml/);
    // What to do: put it back, or leave the decision to a maintainer.
    expect(comment).toContain('put it back');
    expect(comment).toContain('maintainer');
    expect(gate).toEqual([
      expect.objectContaining({ state: 'failure', description: expect.stringContaining('deletes') }),
    ]);
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
  });
  it('says plainly that a pull request renames labels.csv, and to keep its name', async () => {
    // GitHub lists a rename once, under its new name, with the old one as previous_filename.
    const files = [{ filename: 'labels-new.csv', status: 'renamed', previous_filename: 'labels.csv' }];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('renames (moves) labels.csv to labels-new.csv');
    expect(outputs.reason).not.toMatch(/other than the data files|not a data file/);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(comment).toContain('This pull request renames (moves) a data file');
    expect(comment).toContain('- `labels.csv`: the pull request renames it to labels-new.csv');
    expect(comment).toContain("but Vitrine reads the file of the staff's labels only at this exact path");
    // What to do: give it its name back.
    expect(comment).toContain('Keep the name `labels.csv`');
    expect(comment).not.toMatch(/other than the data files|not a data file|never its code|`labels-new\.csv`:/);
    expect(gate).toEqual([
      expect.objectContaining({
        state: 'failure',
        description: expect.stringContaining('renames labels.csv to labels-new.csv'),
      }),
    ]);
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
  });

  it('words each file besides the data files by what it is, and calls documentation no code', async () => {
    const files = [
      { filename: 'labels.csv', status: 'modified' },
      { filename: 'README.md', status: 'modified' },
      { filename: 'docs/catalogue.md', status: 'modified' },
      { filename: '.github/workflows/main.yml', status: 'modified' },
      { filename: 'pipeline/train.ts', status: 'modified' },
      { filename: 'biome.json', status: 'modified' },
    ];
    const { outputs, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('other files (README.md, docs/catalogue.md)');
    expect(outputs.reason).toContain('code (pipeline/train.ts)');
    expect(outputs.reason).toContain('workflow files (.github/workflows/main.yml)');
    expect(outputs.reason).toContain('settings files (biome.json)');
    const comment = comments[0]!;
    expect(comment).not.toContain('code, workflows and settings');
    const line = (file: string) => comment.split('\n').find((l) => l.startsWith(`- \`${file}\`:`)) ?? '';
    expect(line('README.md')).toBe('- `README.md`: it is not a data file');
    expect(line('docs/catalogue.md')).toBe('- `docs/catalogue.md`: it is not a data file');
    expect(line('.github/workflows/main.yml')).toMatch(/: it is a workflow file/);
    expect(line('pipeline/train.ts')).toMatch(/: it is code$/);
    expect(line('biome.json')).toMatch(/: it is a settings file$/);
    await gh!.close();
    // Documentation alone beside labels.csv: nothing said of code, workflows or settings.
    const docs = await guard({
      files: [
        { filename: 'labels.csv', status: 'modified' },
        { filename: 'README.md', status: 'modified' },
      ],
    });
    expect(docs.comments[0]).not.toMatch(/\bcode\b|workflow|settings/);
    expect(docs.outputs.reason).toBe('the pull request changes a file other than the data files (README.md)');
  });

  it('names a deleted data file in the gate status beside the other files it changes', async () => {
    const files = [
      { filename: 'labels.csv', status: 'removed' },
      { filename: 'README.md', status: 'modified' },
    ];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('deletes labels.csv');
    expect(outputs.reason).toContain('README.md');
    expect(comments[0]).toContain('- `labels.csv`: the pull request deletes it');
    expect(comments[0]).toContain('- `README.md`: it is not a data file');
    expect(gate).toHaveLength(1);
    expect(gate[0]!.state).toBe('failure');
    expect(gate[0]!.description).toContain('deletes labels.csv');
    expect(gate[0]!.description).toContain('README.md');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    await gh!.close();
    // A rename beside another file is named too.
    const moved = await guard({
      files: [
        { filename: 'old/labels.csv', status: 'renamed', previous_filename: 'labels.csv' },
        { filename: 'README.md', status: 'modified' },
      ],
    });
    expect(moved.gate[0]!.description).toContain('renames labels.csv to old/labels.csv');
    expect(moved.gate[0]!.description).toContain('README.md');
    expect(moved.gate[0]!.description.length).toBeLessThanOrEqual(140);
  });

  it('names a deleted or renamed data file in the gate status of a fork that changes code too', async () => {
    const code = { filename: 'pipeline/train.ts', status: 'modified' };
    const { gate } = await guard({ files: [{ filename: 'labels.csv', status: 'removed' }, code], fork: true });
    expect(gate).toHaveLength(1);
    expect(gate[0]!.state).toBe('failure');
    expect(gate[0]!.description).toContain('deletes labels.csv');
    expect(gate[0]!.description).toContain('code');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    await gh!.close();
    const moved = { filename: 'labels-new.csv', status: 'renamed', previous_filename: 'labels.csv' };
    const renamed = await guard({ files: [moved, code], fork: true });
    expect(renamed.gate[0]!.description).toContain('renames labels.csv to labels-new.csv');
    expect(renamed.gate[0]!.description.length).toBeLessThanOrEqual(140);
  });

  it('says data/objects.csv is the collection’s table of objects, names allow-objects, and never calls it code', async () => {
    const files = [{ filename: 'data/objects.csv', status: 'modified' }];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain("data/objects.csv (the collection's table of objects)");
    expect(outputs.reason).toContain('allow-objects');
    expect(outputs.reason).not.toMatch(/other than the data files/);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(comment).toContain("`data/objects.csv`: it is the collection's table of objects, which an import writes");
    expect(comment).toContain('`allow-objects: true`');
    // What to do: change it where the collection is kept and import again.
    expect(comment).toContain('import');
    expect(comment).not.toMatch(/not a data file|\bcode\b|params\.yaml/i);
    expect(gate).toEqual([
      expect.objectContaining({ state: 'failure', description: expect.stringContaining('data/objects.csv') }),
    ]);
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    expect(gate[0]!.description).not.toMatch(/cannot be used as they are/);
    // What the comment tells a maintainer is so: with allow-objects the same pull request is trained.
    await gh!.close();
    const allowed = await guard({ files, inputs: { [INPUTS.allowObjects]: 'true' } });
    expect(allowed.outputs.trusted).toBe('true');
    expect(allowed.comments).toEqual([]);
  });
  it('asks a maintainer to read the data files a fork changes, and no other', async () => {
    const { outputs, comments, sha } = await guard({
      files: [{ filename: 'labels.csv', status: 'modified' }],
      fork: true,
    });
    expect(outputs.trusted).toBe('false');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(`has read the changes to \`labels.csv\` at commit \`${sha.slice(0, 12)}\``);
    expect(comments[0]).not.toContain('params.yaml');
    await gh!.close();
    // With allow-objects, the table of objects the fork changes is named too, and still no file it leaves alone.
    const both = await guard({
      files: [
        { filename: 'labels.csv', status: 'modified' },
        { filename: 'data/objects.csv', status: 'modified' },
      ],
      fork: true,
      inputs: { [INPUTS.allowObjects]: 'true' },
    });
    expect(both.comments[0]).toContain('has read the changes to `labels.csv`, `data/objects.csv` at commit');
    expect(both.comments[0]).not.toContain('params.yaml');
  });

  it('names the data files it trains when it edits an earlier comment, not a fixed list', async () => {
    const { outputs, comments, sha } = await guard({
      files: [{ filename: 'labels.csv', status: 'modified' }],
      earlier: `${GUARD_MARKER}\n**Not trained on the museum's runner.** This pull request changes README.md`,
    });
    expect(outputs.trusted).toBe('true');
    expect(comments).toEqual([
      `${GUARD_MARKER}\nChecked: \`labels.csv\` of commit \`${sha.slice(0, 12)}\` is trained on the museum's runner; ` +
        'the report follows.',
    ]);
  });
});

describe('the guard’s words on a data file under another name', () => {
  it('refuses a Labels.csv alone, and says to rename it to labels.csv or copy its lines there', async () => {
    // Uploaded on GitHub’s website or saved on a Mac under other capitals: the staff’s labels, not read.
    const { outputs, gate, comments } = await guard({ files: [{ filename: 'Labels.csv', status: 'added' }] });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain("Vitrine reads the file of the staff's labels only as labels.csv");
    expect(outputs.reason).toContain('in exactly that spelling');
    expect(gate).toHaveLength(1);
    expect(gate[0]!.state).toBe('failure');
    expect(gate[0]!.description).toContain('labels.csv');
    expect(gate[0]!.description).toContain('Labels.csv');
    expect(gate[0]!.description).not.toMatch(/Nothing the model reads|move that apart/);
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(comment).toContain('in exactly that spelling');
    expect(comment).toContain('rename `Labels.csv` to `labels.csv`');
    expect(comment).toContain('copy its lines into `labels.csv`');
    expect(comment).not.toMatch(/separate pull request|never its code|settings/);
    await gh!.close();
    // params.yaml too, whatever the allowed list is: data/objects.csv with allow-objects.
    const objects = await guard({
      files: [{ filename: 'Data/Objects.csv', status: 'added' }],
      inputs: { [INPUTS.allowObjects]: 'true' },
    });
    expect(objects.outputs.trusted).toBe('false');
    expect(objects.comments[0]).toContain('rename `Data/Objects.csv` to `data/objects.csv`');
    expect(objects.gate[0]!.state).toBe('failure');
  });

  // A reviewer: a browser's copy, .yml for .yaml, an editor's .txt, and data/Objects.csv with allow-objects off
  // each passed green as "changes no file the model reads", the staff's work unread.
  it('refuses a copy or another ending of a data file’s name alone, not passed green', async () => {
    for (const [filename, meant] of [
      ['labels (1).csv', 'labels.csv'],
      ['labels copy.csv', 'labels.csv'],
      ['labels - Copy (2).csv', 'labels.csv'],
      ['labels (1) (1).csv', 'labels.csv'],
      ['params.yml', 'params.yaml'],
      ['labels.CSV.txt', 'labels.csv'],
    ] as const) {
      const { outputs, gate, comments } = await guard({ files: [{ filename, status: 'added' }] });
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain(`the pull request has ${filename}, but Vitrine reads`);
      expect(outputs.reason).toContain(`only as ${meant}, in exactly that spelling`);
      expect(gate[0]!.state).toBe('failure');
      expect(comments[0]).toContain(`rename \`${filename}\` to \`${meant}\``);
      await gh!.close();
    }
    const objects = await guard({ files: [{ filename: 'data/Objects.csv', status: 'added' }] });
    expect(objects.outputs.trusted).toBe('false');
    expect(objects.gate[0]!.state).toBe('failure');
    // Said as the objects table under other capitals, not "not a data file" (a reviewer).
    expect(objects.outputs.reason).toContain('only as data/objects.csv');
    expect(objects.outputs.reason).not.toContain('not a data file');
  });

  it('says to rename Labels.csv or put its lines in labels.csv when labels.csv changes too', async () => {
    const files = [
      { filename: 'labels.csv', status: 'modified' },
      { filename: 'Labels.csv', status: 'added' },
    ];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    const comment = comments[0]!;
    expect(comment).toContain('copy its lines into `labels.csv`');
    expect(comment).not.toMatch(/separate pull request|does not read it/);
    expect(gate[0]!.description).not.toMatch(/besides the data files|move that apart/);
    expect(gate[0]!.description).toContain('Labels.csv');
  });

  it('calls Params.yaml the museum’s settings under other capitals, not a settings file for the runner', async () => {
    const files = [
      { filename: 'labels.csv', status: 'modified' },
      { filename: 'Params.yaml', status: 'added' },
    ];
    const { outputs, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).not.toContain('settings files (Params.yaml)');
    expect(outputs.reason).toContain('only as params.yaml');
    const comment = comments[0]!;
    expect(comment).not.toMatch(/never its code|workflows or settings|separate pull request/);
    expect(comment).toContain('rename `Params.yaml` to `params.yaml`');
  });

  it('says one thing of labels.csv deleted and Labels.csv added: rename Labels.csv to labels.csv', async () => {
    // GitHub lists a rename so when the content changed much.
    const files = [
      { filename: 'labels.csv', status: 'removed' },
      { filename: 'Labels.csv', status: 'added' },
    ];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    const comment = comments[0]!;
    expect(comment).toContain('rename `Labels.csv` back to `labels.csv`');
    expect(comment).not.toMatch(/deleted by mistake|separate pull request|put it back/);
    expect(gate[0]!.description).toContain('renames labels.csv to Labels.csv');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
  });

  it('says the changes to data/objects.csv can stay only when allow-objects lets them', async () => {
    const files = [{ filename: 'data/objects-2.csv', status: 'renamed', previous_filename: 'data/objects.csv' }];
    const off = await guard({ files });
    expect(off.comments[0]).toContain('rename `data/objects-2.csv` back to `data/objects.csv`');
    expect(off.comments[0]).not.toContain('can stay');
    expect(off.comments[0]).toContain('`allow-objects: true`');
    await gh!.close();
    const on = await guard({ files, inputs: { [INPUTS.allowObjects]: 'true' } });
    expect(on.comments[0]).toContain('can stay');
  });

  it('shows a space at the end of a name, and shortens a gate status naming several renames once', async () => {
    const files = [{ filename: 'labels.csv ', status: 'renamed', previous_filename: 'labels.csv' }];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.reason).toContain('"labels.csv " (with a space at the end)');
    expect(comments[0]).toContain('`labels.csv` (with a space at the end)');
    expect(gate[0]!.description).toContain('with a space at the end');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    await gh!.close();
    // Added alone under that name, it is the staff’s labels not read, as for other capitals.
    const added = await guard({ files: [{ filename: 'labels.csv ', status: 'added' }] });
    expect(added.gate[0]!.state).toBe('failure');
    expect(added.comments[0]).toContain('with a space at the end');
    await gh!.close();
    const long = `very/long/folder/name/${'x'.repeat(60)}/settings.yaml`;
    const two = await guard({
      files: [
        { filename: 'old/labels.csv', status: 'renamed', previous_filename: 'labels.csv' },
        { filename: long, status: 'renamed', previous_filename: 'params.yaml' },
      ],
    });
    const description = two.gate[0]!.description;
    expect(description.length).toBeLessThanOrEqual(140);
    expect(description).toContain('renames labels.csv to old/labels.csv, params.yaml to very/');
    expect(description.match(/…/g) ?? []).toHaveLength(1);
    expect(description).toMatch(/\(see the comment\)$/);
  });

  it('treats a rename into labels.csv as labels.csv added and the old name deleted, not as moving it apart', async () => {
    const files = [{ filename: 'labels.csv', status: 'renamed', previous_filename: 'new-labels.csv' }];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('renames new-labels.csv to labels.csv');
    const comment = comments[0]!;
    expect(comment).toContain('- `new-labels.csv`: the pull request renames it to labels.csv');
    expect(comment).not.toMatch(/separate pull request: the model does not read/);
    expect(gate[0]!.description).toContain('renames new-labels.csv to labels.csv');
    expect(gate[0]!.description).not.toMatch(/besides the data files|move that apart/);
  });
});

describe('the guard’s words on a file renamed into a data file’s name', () => {
  it('gives one piece of advice for a file renamed into Labels.csv: keep it, and add labels.csv', async () => {
    // Renamed on a Windows computer or on GitHub’s website: the new name is the data file’s in other capitals.
    for (const [filename, meant] of [
      ['Labels.csv', 'labels.csv'],
      ['labels (1).csv', 'labels.csv'],
      ['Params.yaml', 'params.yaml'],
    ] as const) {
      const files = [{ filename, status: 'renamed', previous_filename: 'notes.csv' }];
      const { outputs, gate, comments } = await guard({ files });
      expect(outputs.trusted).toBe('false');
      const comment = comments[0]!;
      const advice = comment.split('\n').at(-1)!;
      // One piece of advice, naming the exact name to add: not "rename it to labels.csv" beside "add Labels.csv".
      expect(advice).toBe(
        `Renaming \`notes.csv\` to \`${filename}\` deletes \`notes.csv\`, and Vitrine reads \`${meant}\` only in ` +
          `exactly that spelling: keep \`notes.csv\` as it is in this pull request and add \`${meant}\` as a file ` +
          'of its own (copy into it what it should hold); delete `notes.csv` in a separate pull request if it is ' +
          'no longer needed.',
      );
      // One line for the one change.
      expect(comment.split('\n').filter((l) => l.startsWith('- '))).toEqual([
        expect.stringMatching(new RegExp(`^- \`notes\\.csv\`: the pull request renames it to .*only as ${meant}`)),
      ]);
      expect(outputs.reason).not.toMatch(/rename it to|copy its/);
      expect(outputs.reason).toContain(`only as ${meant}, in exactly that spelling`);
      expect(gate[0]!.state).toBe('failure');
      expect(gate[0]!.description).toContain(`renames notes.csv to ${filename}`);
      expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
      await gh!.close();
    }
  });

  it('names a file renamed into labels.csv in the gate status of a fork that changes code too', async () => {
    // Fixing only the code would meet a second refusal: the rename is said in the same message.
    const files = [
      { filename: 'labels.csv', status: 'renamed', previous_filename: 'notes.csv' },
      { filename: 'pipeline/train.ts', status: 'modified' },
    ];
    const { outputs, gate, comments } = await guard({ files, fork: true });
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('renames notes.csv to labels.csv');
    expect(comments[0]).toContain('Renaming `notes.csv` to `labels.csv` deletes `notes.csv`');
    expect(gate).toHaveLength(1);
    expect(gate[0]!.state).toBe('failure');
    expect(gate[0]!.description).toContain('renames notes.csv to labels.csv');
    expect(gate[0]!.description).toContain('code');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
  });

  it('says a data file renamed to a copy’s name differs in its name, not in capitals', async () => {
    const files = [{ filename: 'labels (1).csv', status: 'renamed', previous_filename: 'labels.csv' }];
    const { comments } = await guard({ files });
    expect(comments[0]).toContain('- `labels.csv`: the pull request renames it to labels \\(1\\).csv, but Vitrine');
    expect(comments[0]).not.toContain('capitals');
    await gh!.close();
    const capitals = await guard({ files: [{ ...files[0]!, filename: 'Labels.csv' }] });
    expect(capitals.comments[0]).toContain('renames it to Labels.csv, which differs in capitals, but Vitrine');
  });
});

describe('the guard’s words on files a computer makes by itself', () => {
  it('says to delete a Mac’s .DS_Store or a spreadsheet’s lock file, not to move it to another pull request', async () => {
    // Committed with GitHub Desktop beside labels.csv: macOS keeps a folder’s view in .DS_Store, LibreOffice marks
    // labels.csv as open in .~lock.labels.csv#, Windows keeps thumbnails in Thumbs.db.
    const files = [
      { filename: '.DS_Store', status: 'added' },
      { filename: '.~lock.labels.csv#', status: 'added' },
      { filename: 'labels.csv', status: 'modified' },
      { filename: 'images/Thumbs.db', status: 'added' },
    ];
    const { outputs, gate, comments } = await guard({ files });
    expect(outputs.trusted).toBe('false');
    const comment = comments[0]!;
    const line = (file: string) => comment.split('\n').find((l) => l.startsWith(`- \`${file}\`:`)) ?? '';
    expect(line('.DS_Store')).toContain('macOS');
    expect(line('.~lock.labels.csv#')).toContain('while labels.csv is open');
    expect(line('images/Thumbs.db')).toContain('Windows');
    const advice = comment.split('\n').at(-1)!;
    expect(advice).toContain(
      'Delete `.DS_Store`, `.~lock.labels.csv#`, `images/Thumbs.db` in this pull request: the computer made them',
    );
    expect(advice).toContain('this one is then trained here');
    expect(comment).not.toMatch(/separate pull request|never its code/);
    expect(outputs.reason).toContain('files a computer makes by itself (.DS_Store, .~lock.labels.csv#');
    expect(gate[0]!.state).toBe('failure');
    expect(gate[0]!.description).toContain('delete');
    expect(gate[0]!.description).not.toContain('move that apart');
    expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
    await gh!.close();
    // One the pull request deletes (a clean-up) is not to be deleted again: it goes apart, as any other file.
    const cleanUp = await guard({
      files: [
        { filename: '.DS_Store', status: 'removed' },
        { filename: 'labels.csv', status: 'modified' },
      ],
    });
    expect(cleanUp.comments[0]).toContain('- `.DS_Store`: the pull request deletes it, and macOS makes it');
    expect(cleanUp.comments[0]).toContain('Move `.DS_Store` to a separate pull request');
    expect(cleanUp.comments[0]).not.toContain('Delete `.DS_Store`');
  });
});

describe('the guard’s words on labels saved by a spreadsheet program', () => {
  it('refuses labels downloaded from Google Sheets under the sheet’s name, not passed green', async () => {
    // File, Download, CSV names the file "<spreadsheet> - <sheet>.csv"; labels.csv imported keeps "labels" for both.
    for (const filename of ['labels - Sheet1.csv', 'labels - labels.csv']) {
      const { outputs, gate, comments } = await guard({ files: [{ filename, status: 'added' }] });
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain(`the pull request has ${filename}, but Vitrine reads`);
      expect(gate[0]!.state).toBe('failure');
      expect(comments[0]).toContain(`rename \`${filename}\` to \`labels.csv\``);
      await gh!.close();
    }
  });

  it('refuses labels saved as an Excel or LibreOffice file, and says to save them as CSV named labels.csv', async () => {
    for (const filename of ['labels.xlsx', 'Labels.xls', 'labels.ods']) {
      const { outputs, gate, comments } = await guard({ files: [{ filename, status: 'added' }] });
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain(`the pull request has ${filename}, but Vitrine reads`);
      expect(outputs.reason).toContain('save it as CSV UTF-8 under the name labels.csv');
      expect(gate[0]!.state).toBe('failure');
      expect(gate[0]!.description).toContain(filename);
      expect(gate[0]!.description.length).toBeLessThanOrEqual(140);
      const comment = comments[0]!;
      expect(comment).toContain('This pull request has a data file saved as a spreadsheet:');
      expect(comment).toContain(`- \`${filename}\`: it is a spreadsheet file, and Vitrine reads`);
      // Renaming it would not make it text: saved again as CSV, it is.
      expect(comment).not.toContain(`rename \`${filename}\``);
      expect(comment).toContain(
        `open \`${filename}\` and save it as "CSV UTF-8" under the name \`labels.csv\`, then delete \`${filename}\``,
      );
      await gh!.close();
    }
  });
});

describe('the guard’s words on a data file’s ending doubled', () => {
  it('refuses labels.csv.csv, as Windows saves a file typed “labels.csv” with its ending hidden, not passed green', async () => {
    for (const [filename, advice] of [
      ['labels.csv.csv', 'rename `labels.csv.csv` to `labels.csv`'],
      ['params.yaml.yaml', 'rename `params.yaml.yaml` to `params.yaml`'],
      ['labels.csv.xlsx', 'open `labels.csv.xlsx` and save it as "CSV UTF-8" under the name `labels.csv`'],
    ] as const) {
      const { outputs, gate, comments } = await guard({ files: [{ filename, status: 'added' }] });
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain(`the pull request has ${filename}, but Vitrine reads`);
      expect(gate[0]!.state).toBe('failure');
      expect(comments[0]).toContain(advice);
      await gh!.close();
    }
  });
});

describe('the guard’s words on a data file in the wrong folder', () => {
  it('refuses labels.csv uploaded into data/, or objects.csv at the top, not passed green', async () => {
    // On GitHub’s website, a file uploaded while data/ is open lands in data/, beside data/objects.csv.
    for (const [filename, meant] of [
      ['data/labels.csv', 'labels.csv'],
      ['data/params.yaml', 'params.yaml'],
      ['objects.csv', 'data/objects.csv'],
    ] as const) {
      const { outputs, gate, comments } = await guard({
        files: [{ filename, status: 'added' }],
        inputs: { [INPUTS.allowObjects]: 'true' },
      });
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain(`the pull request has ${filename}, but Vitrine reads`);
      expect(outputs.reason).toContain(`only as ${meant}`);
      expect(gate[0]!.state).toBe('failure');
      const comment = comments[0]!;
      expect(comment).toContain(`- \`${filename}\`: it is in another folder than ${meant}, and Vitrine reads`);
      expect(comment).toContain(`move \`${filename}\` to \`${meant}\``);
      await gh!.close();
    }
  });

  it('says a data file renamed into data/ is moved, not spelled otherwise', async () => {
    const files = [{ filename: 'data/labels.csv', status: 'renamed', previous_filename: 'labels.csv' }];
    const { comments } = await guard({ files });
    expect(comments[0]).toContain(
      "- `labels.csv`: the pull request renames it to data/labels.csv, but Vitrine reads the file of the staff's " +
        'labels only at this exact path',
    );
    expect(comments[0]).toContain('rename `data/labels.csv` back to `labels.csv`');
  });
});

describe('the guard’s words on objects.csv moved into data/', () => {
  it('says objects.csv is in another folder, and never that the pull request is then trained', async () => {
    const files = [{ filename: 'data/objects.csv', status: 'renamed', previous_filename: 'objects.csv' }];
    const { comments } = await guard({ files });
    const comment = comments[0]!;
    expect(comment).toContain('- `objects.csv`: it is not a data file: Vitrine reads data/objects.csv, at exactly');
    expect(comment).not.toContain('capitalisation');
    // data/objects.csv is refused too (allow-objects is off): moving objects.csv apart is not all it takes.
    expect(comment).not.toContain('this one is then trained here');
  });
});
