import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A tester adopting Vitrine for a new museum: `init` into an empty folder printed and wrote `npx vitrine run`,
 * which there fetches an unknown "vitrine" package from npm; `-C` a folder not made yet was refused. Each case
 * failed before its fix.
 */

const exec = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '..', '..');

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-tryout-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

/** An export of `rows` ([id, image, label]), with an image file for every non-empty image cell. */
async function anExport(name: string, rows: string[][]): Promise<string> {
  const dir = path.join(root, name, 'export');
  await mkdir(dir, { recursive: true });
  for (const [id, file] of rows)
    if (file) await writeFile(path.join(dir, file), Buffer.concat([JPEG, Buffer.from(id!)]));
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...rows]));
  return csv;
}

const FOUR = [
  ['C1', 'C1.jpg', 'coin'],
  ['C2', 'C2.jpg', 'coin'],
  ['V1', 'V1.jpg', 'vessel'],
  ['V2', 'V2.jpg', 'vessel'],
];

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/**
 * The vitrine commands in `text` (the printed "Next:" steps, or the README), each with the folder it runs in:
 * a `cd` changes the folder for the lines after it, as in a shell.
 */
function vitrineCommands(text: string, cwd: string): { command: string; folder: string }[] {
  const found: { command: string; folder: string }[] = [];
  let folder = cwd;
  for (const line of text.split('\n').map((l) => l.trim().replace(/\s+#.*$/, ''))) {
    const cd = /^cd (\S+)(?: && (.*))?$/.exec(line);
    if (cd) folder = path.resolve(folder, cd[1]!);
    const command = cd ? (cd[2] ?? '') : line;
    if (/^(npx|node) /.test(command) && /\bvitrine\b/.test(command)) found.push({ command, folder });
  }
  return found;
}

/**
 * True when a command runs Vitrine itself: `npx vitrine` only in a folder whose package.json is Vitrine's (npx
 * would otherwise fetch "vitrine" from the npm registry), or `node <Vitrine's folder>/bin/vitrine.js`.
 */
async function runsVitrineItself({ command, folder }: { command: string; folder: string }): Promise<boolean> {
  const node = /^node (\S+)/.exec(command);
  if (node) return path.resolve(folder, node[1]!) === path.join(REPO, 'bin', 'vitrine.js');
  const pkg = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8').catch(() => '{}'));
  return /^npx vitrine /.test(command) && pkg.name === 'vitrine' && pkg.bin?.vitrine === 'bin/vitrine.js';
}

describe('vitrine init into a new folder', () => {
  it('makes the folder; every vitrine command it prints or writes runs Vitrine, never an npm package', async () => {
    const csv = await anExport('new', FOUR);
    const here = path.join(root, 'new', 'here');
    await mkdir(here);
    const result = await vitrine(['init', '-C', '../m3', '--from', csv, '--yes'], here);
    expect(result.code, result.messages).toBe(0);
    const museum = path.join(root, 'new', 'm3');
    expect((await stat(path.join(museum, 'params.yaml'))).isFile()).toBe(true);

    const next = result.messages.slice(result.messages.indexOf('Next:'));
    const printed = vitrineCommands(next, here);
    expect(printed.map((p) => p.command).join('\n'), next).toMatch(/vitrine .*run$/m);
    for (const step of printed) expect(await runsVitrineItself(step), step.command).toBe(true);
    // The commit step names the new folder (init ran elsewhere): run it as printed.
    const commit = next.split('\n').find((l) => /git .*commit/.test(l))!;
    await exec('sh', ['-c', commit.trim()], {
      cwd: here,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'R',
        GIT_AUTHOR_EMAIL: 'r@m',
        GIT_COMMITTER_NAME: 'R',
        GIT_COMMITTER_EMAIL: 'r@m',
      },
    });
    expect((await exec('git', ['log', '--oneline'], { cwd: museum })).stdout).toMatch(/Start Vitrine/);

    // The README names Vitrine's folder and this one from each other, or (here) by placeholders to fill in.
    const readme = (await readFile(path.join(museum, 'README.md'), 'utf8'))
      .replaceAll('path/to/vitrine', REPO)
      .replaceAll('path/to/m3', museum);
    const written = vitrineCommands(readme, museum);
    expect(written.length, readme).toBeGreaterThan(3);
    for (const step of written) expect(await runsVitrineItself(step), step.command).toBe(true);

    // Run again on the same folder: refused, with the import to run instead, as a command that works from here.
    const again = await vitrine(['init', '-C', '../m3', '--from', csv, '--yes'], here);
    expect(again.code).toBe(1);
    const instead = /run "(.*)" instead/.exec(again.messages)?.[1];
    expect(instead, again.messages).toMatch(/ import --metadata /);
    const [step] = vitrineCommands(instead!, here);
    expect(await runsVitrineItself(step!), instead).toBe(true);
    expect(step!.command).toContain(`-C ${museum}`);
  });

  it('refuses a folder whose parent does not exist, and leaves nothing behind when init stops', async () => {
    const csv = await anExport('missing-parent', FOUR);
    const here = path.join(root, 'missing-parent');
    const result = await vitrine(['init', '-C', 'no/such/m4', '--from', csv, '--yes'], here);
    expect(result.code).toBe(1);
    expect(result.messages).toMatch(/no[/\\]such/);
    const bad = await vitrine(['init', '-C', 'm5', '--from', csv, '--remote', 'gs://x/y', '--yes'], here);
    expect(bad.code).toBe(2);
    expect(await readdir(here)).not.toContain('m5');
  });
});

describe('the vocabulary init proposes, and the advice after it', () => {
  // A small collection: no label reaches the ~25 objects a test split needs, so every label used twice is kept.
  const rows = [
    ...['Met', 'Cleveland', 'Chicago', 'NGA'].flatMap((label) =>
      [1, 2, 3].map((n) => [`${label}${n}`, `${label}${n}.jpg`, label]),
    ),
    ['SI1', 'SI1.jpg', 'Smithsonian'],
  ];

  it('says why a label was left out by the rule it used, and the import after it agrees', async () => {
    const csv = await anExport('vocabulary', rows);
    const museum = path.join(root, 'vocabulary', 'museum');
    const result = await vitrine(['init', '-C', museum, '--from', csv, '--yes'], root);
    expect(result.code, result.messages).toBe(0);
    expect(result.messages).toContain('Vocabulary: [Met, Cleveland, Chicago, NGA]');
    expect(result.messages).not.toMatch(/fewer than 25/);
    // One level of brackets (a tester: "(fewer than 25 objects: too few to learn and test (at least 25 …))").
    expect(result.messages).toContain(
      '  left out of the vocabulary, used by one object each: Smithsonian. Too few to learn and test (at least 25 ' +
        'objects each; a small collection, where fewer than two labels have 25 yet, can start with 2 each).',
    );
    const yaml = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(yaml).not.toMatch(/fewer than 25/);
    expect(yaml.replace(/\n\s*#/g, '')).toContain(
      'Left out, used by one object each: Smithsonian (1). Too few to learn and test (at least 25 objects each;',
    );
    expect(yaml).not.toMatch(/\([^()\n]*\(/);
    // The import init ran (and every later import and dataset run) must not say to add Smithsonian back.
    expect(result.messages).not.toMatch(/vocabulary: \[[^\]]*Smithsonian/);
    expect(result.messages).toMatch(/Smithsonian \(1\).*too few objects/);
  });
});

describe('an export whose image cells are all empty', () => {
  it('stops init before it writes anything, and import warns, saying no row names an image', async () => {
    const csv = await anExport(
      'no-images',
      FOUR.map(([id, , label]) => [id!, '', label!]),
    );
    const museum = path.join(root, 'no-images', 'museum');
    await mkdir(museum);
    const result = await vitrine(['init', '--from', csv, '--yes'], museum);
    expect(result.code).toBe(1);
    expect(result.messages).toMatch(/None of the 4 rows of \S*objects\.csv names an image/);
    expect(result.messages).toMatch(/"image" column/);
    expect(result.messages).not.toMatch(/Next:/);
    expect(await readdir(museum)).toEqual([]);
    // vitrine import (an existing repository) says it in a warning.
    await writeFile(
      path.join(museum, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
        `import:\n  metadata: ${JSON.stringify(csv)}\n`,
    );
    const imported = await vitrine(['import'], museum);
    expect(imported.messages).toMatch(/^warn: None of the 4 rows of \S*objects\.csv names an image/m);
  });
});

describe('the paths init writes into params.yaml', () => {
  it('are relative to the repository, also outside it, and a later import finds the export by them', async () => {
    const csv = await anExport('paths', FOUR);
    const museum = path.join(root, 'paths', 'museum');
    const result = await vitrine(['init', '-C', museum, '--from', csv, '--yes'], root);
    expect(result.code, result.messages).toBe(0);
    const params = parseYaml(await readFile(path.join(museum, 'params.yaml'), 'utf8'));
    expect(params.import.metadata).toBe('../export/objects.csv');
    expect(params.import.images).toBe('../export');
    const again = await vitrine(['import'], museum);
    expect(again.code, again.messages).toBe(0);
  });
});

describe('what init says it wrote', () => {
  it('says the workflows were already there instead of "0 workflows"', async () => {
    const csv = await anExport('workflows', FOUR);
    const museum = path.join(root, 'workflows', 'museum');
    await mkdir(path.join(museum, '.github', 'workflows'), { recursive: true });
    const ours = (await readdir(path.join(REPO, '.github', 'workflows'))).filter((f) => f.endsWith('.yml'));
    for (const file of ours) await writeFile(path.join(museum, '.github', 'workflows', file), 'name: ours\n');
    const result = await vitrine(['init', '--from', csv, '--yes'], museum);
    expect(result.code, result.messages).toBe(0);
    expect(result.messages).not.toMatch(/\b0 workflows/);
    expect(result.messages).toContain(
      `the ${ours.length} workflows were already in .github/workflows (kept as they are)`,
    );
    expect(await readFile(path.join(museum, '.github', 'workflows', ours[0]!), 'utf8')).toBe('name: ours\n');
  });
});

/*
 * A reviewer ran the README's `npx vitrine init -C ../our-museum --from …` with a relative --from: init looked for
 * the export inside the new folder, where it cannot be. Paths given to init are relative to the folder the
 * command was typed in. Failed before the fix.
 */
describe('init -C <new folder> with relative paths, as the README writes it', () => {
  it('reads --from and --images, and puts a --remote folder, relative to where the command was typed', async () => {
    const here = path.join(root, 'typed', 'vitrine');
    await mkdir(path.join(here, 'exp', 'img'), { recursive: true });
    for (const [id, file] of FOUR)
      await writeFile(path.join(here, 'exp', 'img', file!), Buffer.concat([JPEG, Buffer.from(id!)]));
    await writeFile(path.join(here, 'exp', 'objects.csv'), stringify([['id', 'image', 'label'], ...FOUR]));
    const args = ['--from', 'exp/objects.csv', '--images', 'exp/img', '--remote', '../store', '--yes'];
    const result = await vitrine(['init', '-C', '../our-museum', ...args], here);
    expect(result.code, result.messages).toBe(0);
    const museum = path.join(root, 'typed', 'our-museum');
    expect(result.messages).toContain(`Imported 4 objects (4 labelled, 0 without an image) into ${museum}`);
    const params = parseYaml(await readFile(path.join(museum, 'params.yaml'), 'utf8'));
    expect(params.import.metadata).toBe('../vitrine/exp/objects.csv');
    expect(params.import.images).toBe('../vitrine/exp/img');
    // The images went to ../store from where the command was typed, not from the new repository.
    expect((await readdir(path.join(root, 'typed', 'store'))).length).toBeGreaterThan(0);
    expect(await readFile(path.join(museum, '.dvc', 'config'), 'utf8')).toMatch(/url = \.\.\/\.\.\/store$/m);
  });

  it('an export in the -C folder, named from it: says paths are taken from where the command was typed', async () => {
    await anExport('inside', FOUR);
    const here = path.join(root, 'inside-here');
    await mkdir(here);
    const result = await vitrine(
      ['init', '-C', path.join(root, 'inside'), '--from', 'export/objects.csv', '--yes'],
      here,
    );
    expect(result.code).toBe(1);
    expect(result.messages).toContain(path.join(here, 'export', 'objects.csv'));
    expect(result.messages).toMatch(/relative to the folder the command was typed in/);
    expect(result.messages).toContain('--from ../inside/export/objects.csv');
  });
});

/*
 * A second reviewer: from R, `init -C museum2 --from ../export/objects.csv` (the export named from -C's folder, as
 * with git -C) was told "--from export/objects.csv names the one in R/museum2", though the export is in R/export
 * and museum2 did not exist yet; `--images ../export` got no hint at all. Each failed before its fix.
 */
describe('a --from or --images named from the -C folder: where init looked, and the path that works', () => {
  it('--from: the path looked at, the folder it was read from, and the --from that names the export', async () => {
    const here = path.join(root, 'habit');
    await anExport('habit', FOUR);
    const result = await vitrine(['init', '-C', 'museum2', '--from', '../export/objects.csv', '--yes'], here);
    expect(result.code).toBe(1);
    expect(result.messages).toContain(`${path.join(root, 'export', 'objects.csv')} does not exist`);
    expect(result.messages).toContain(`(--from ../export/objects.csv, read from ${here}, where the command was typed)`);
    expect(result.messages).toContain(
      `${path.join(here, 'export', 'objects.csv')}, which --from ../export/objects.csv names from the -C folder, ` +
        'is --from export/objects.csv from here',
    );
    expect(result.messages).not.toMatch(/names the one in/);
  });

  it('--images: the same, instead of only "the images folder does not exist"', async () => {
    const here = path.join(root, 'habit2');
    await anExport('habit2', FOUR);
    const args = ['--from', 'export/objects.csv', '--images', '../export', '--yes'];
    const result = await vitrine(['init', '-C', 'museum3', ...args], here);
    expect(result.code).toBe(1);
    expect(result.messages).toContain(`The images folder ${path.join(root, 'export')} does not exist`);
    expect(result.messages).toContain(`(--images ../export, read from ${here}, where the command was typed)`);
    expect(result.messages).toContain(
      `${path.join(here, 'export')}, which --images ../export names from the -C folder, is --images export from here`,
    );
    expect(await stat(path.join(here, 'museum3')).catch(() => 'absent')).toBe('absent');
  });

  it('a path that is wrong from both folders: where it looked, without a guess', async () => {
    const here = path.join(root, 'habit3');
    await anExport('habit3', FOUR);
    const args = ['--from', 'export/objects.csv', '--images', 'export/pictures', '--yes'];
    const result = await vitrine(['init', '-C', 'museum4', ...args], here);
    expect(result.code).toBe(1);
    expect(result.messages).toContain(`The images folder ${path.join(here, 'export', 'pictures')} does not exist`);
    expect(result.messages).not.toMatch(/from the -C folder/);
  });
});

/*
 * A reviewer: the README init writes for a repository that runs Vitrine from Vitrine's folder said
 * `cd /home/someone/vitrine` and `npx vitrine -C /home/someone/our-museum`, and a --remote folder given from
 * elsewhere was named by its absolute path: wrong for anyone who clones the repository. Failed before the fix.
 */
describe('the files init stages for the first commit', () => {
  /** Every file `git ls-files` lists in `museum`, with its text. */
  async function committed(museum: string): Promise<Map<string, string>> {
    const { stdout } = await exec('git', ['ls-files'], { cwd: museum });
    const out = new Map<string, string>();
    for (const file of stdout.split('\n').filter(Boolean))
      out.set(file, await readFile(path.join(museum, file), 'utf8'));
    return out;
  }

  it('name no folder of this machine absolutely, and the README runs Vitrine once its placeholders are filled', async () => {
    const csv = await anExport('committed', FOUR);
    const here = path.join(root, 'committed', 'here');
    await mkdir(here);
    const result = await vitrine(['init', '-C', '../museum', '--from', csv, '--remote', '../store', '--yes'], here);
    expect(result.code, result.messages).toBe(0);
    const museum = path.join(root, 'committed', 'museum');
    const files = await committed(museum);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['README.md', 'params.yaml', '.dvc/config']));
    for (const [file, text] of files)
      for (const folder of [root, REPO, `${os.homedir()}/`]) expect(text, `${file}: ${folder}`).not.toContain(folder);
    const readme = files.get('README.md')!;
    expect(readme).toContain('the folder `../store` (from this folder)');
    // Vitrine's folder (this checkout) and the temporary folder: named from each other when they share a
    // folder below the top of the disk (a checkout in /tmp, as in some CI runs), else by placeholders.
    const top = (folder: string) => folder.split(path.sep)[1];
    if (top(REPO) === top(museum)) {
      expect(readme).toContain(`cd ${path.relative(museum, REPO)} `);
      expect(readme).toContain(`npx vitrine -C ${path.relative(REPO, museum)} run`);
    } else {
      expect(readme).toContain('cd path/to/vitrine');
      expect(readme).toContain('npx vitrine -C path/to/museum run');
    }
    const filled = readme.replaceAll('path/to/vitrine', REPO).replaceAll('path/to/museum', museum);
    const written = vitrineCommands(filled, museum);
    expect(written.length, readme).toBeGreaterThan(3);
    for (const step of written) expect(await runsVitrineItself(step), step.command).toBe(true);
  });

  it('a repository beside Vitrine names Vitrine’s folder from it, and itself from there', async () => {
    const { museumReadme } = await import('../../pipeline/init/readme.ts');
    const readme = museumReadme({
      name: 'Our Museum',
      root: '/home/someone/museums/our-museum',
      remote: { url: '/home/someone/store' },
      vocabulary: ['coin', 'vessel'],
      from: 'objects.csv',
      run: {
        folder: '/home/someone/vitrine',
        vitrine: 'npx vitrine -C /home/someone/museums/our-museum',
        inRepository: false,
      },
    });
    expect(readme).not.toContain('/home/someone');
    expect(readme).toContain("Vitrine's folder was `../../vitrine` from here");
    expect(readme).toContain('cd ../../vitrine ');
    expect(readme).toContain('npx vitrine -C ../museums/our-museum run');
    expect(readme).toContain('the folder `../../store` (from this folder)');
    const commands = vitrineCommands(readme, '/home/someone/museums/our-museum');
    expect(commands.length).toBeGreaterThan(3);
    for (const c of commands)
      expect(path.resolve(c.folder, /-C (\S+)/.exec(c.command)![1]!)).toBe('/home/someone/museums/our-museum');
  });
});
