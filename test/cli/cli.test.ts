import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { allCommands, commandHelp, main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function vitrine(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd: root, env, stdout: (t) => (stdout += t), log });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine command line', () => {
  it('lists every command in --help', async () => {
    const { code, stdout } = await vitrine(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'demo',
      'import',
      'run',
      'dataset',
      'train',
      'evaluate',
      'report',
      'promote',
      'catalogue',
      'params',
      'params get',
      'data add',
      'data status',
      'data push',
      'data pull',
      'data checkout',
      'models list',
      'models show',
      'models rollback',
      'models push',
      'monitor',
    ]) {
      expect(stdout, name).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('has --help on every command', async () => {
    for (const command of await allCommands()) {
      const { code, stdout } = await vitrine([...command.name.split(' '), '--help']);
      expect(code, command.name).toBe(0);
      expect(stdout).toContain(`Usage: npx vitrine ${command.name}`);
      expect(stdout).toContain('--help');
    }
  });

  it('pins the help of run', async () => {
    const run = (await allCommands()).find((c) => c.name === 'run')!;
    expect(commandHelp(run)).toMatchSnapshot();
  });

  it('refuses an unknown command with a hint', async () => {
    const { code, messages } = await vitrine(['trian']);
    expect(code).toBe(2);
    expect(messages).toContain('"trian" is not a vitrine command');
    expect(messages).toContain('npx vitrine --help');
  });

  it('refuses an unknown option, naming the command', async () => {
    const { code, messages } = await vitrine(['run', '--forse']);
    expect(code).toBe(2);
    expect(messages).toMatch(/forse/);
    expect(messages).toContain('npx vitrine run --help');
  });

  it('fails with one paragraph naming the params key', async () => {
    await writeFile(path.join(root, 'params.yaml'), 'train:\n  epochs: many\n');
    const { code, messages } = await vitrine(['run', 'dataset']);
    expect(code).toBe(1);
    expect(messages).toContain('params.yaml:2: "train.epochs" is "many", expected a whole number');
  });

  it('names a stage that does not exist', async () => {
    await writeFile(
      path.join(root, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const { code, messages } = await vitrine(['run', 'trian']);
    expect(code).toBe(2);
    expect(messages).toContain('There is no stage called "trian"');
  });
});

describe('terminal logger', () => {
  it('writes GitHub annotations on the labels file line in Actions', () => {
    let text = '';
    const log = terminalLogger({ write: (t) => (text += t), githubActions: true });
    log.warn('label "vase" is not in the vocabulary', { file: 'labels.csv', line: 12 });
    log.error('100% broken,\nreally', { file: 'data/objects.csv' });
    expect(text).toBe(
      '::warning file=labels.csv,line=12::label "vase" is not in the vocabulary\n::error file=data/objects.csv::100%25 broken,%0Areally\n',
    );
  });

  it('in Actions, a line of an info or debug message never reads as a workflow command', () => {
    let text = '';
    const log = terminalLogger({ write: (t) => (text += t), githubActions: true, verbose: true });
    // A label or file name quoted in a message could hold a line break and a command.
    log.info('label "x\n::set-output name=a::b\r::add-mask::y" is new');
    log.debug('object "y\n  ##[group]z"');
    const lines = text.split('\n');
    expect(lines.filter((l) => /^\s*(::|##\[)/.test(l))).toEqual(['::debug::object "y%0A  ##[group]z"']);
    expect(text).toContain('%3A%3Aset-output name=a::b');
  });

  it('writes plain places outside Actions', () => {
    let text = '';
    terminalLogger({ write: (t) => (text += t) }).warn('unknown object', {
      file: 'labels.csv',
      line: 3,
      object: 'X-1',
    });
    expect(text).toBe('warning: labels.csv:3, object X-1: unknown object\n');
  });

  it('prints periodic progress lines with rate and time left when not on a terminal', () => {
    let text = '';
    let clock = 0;
    const log = terminalLogger({ write: (t) => (text += t), isTTY: false, now: () => clock, every: 10 });
    const progress = log.progress('Embedding images', 100);
    for (let i = 0; i < 100; i++) {
      clock += 500; // 2 items a second
      progress.tick();
    }
    progress.done();
    const lines = text.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines[0]).toMatch(/^Embedding images: \d+\/100 \(\d+%\), 2\.0\/s, about .+ left$/);
    expect(lines.at(-1)).toBe('Embedding images: 100/100 in 50.0 s (2.0/s)');
  });

  it('gives no rate for a step shorter than a second (the tester saw "1296/1296 in 0 ms (2949516.8/s)")', () => {
    let text = '';
    let clock = 0;
    const log = terminalLogger({ write: (t) => (text += t), isTTY: false, now: () => clock, every: 10 });
    const progress = log.progress('linking thumbnails', 1296);
    clock += 0.4;
    progress.tick(1296);
    progress.done();
    expect(text.trim().split('\n').at(-1)).toBe('linking thumbnails: 1296/1296 in 0 ms');
  });
});

describe('terminal logger places', () => {
  it('does not repeat a place the message already starts with', () => {
    let text = '';
    terminalLogger({ write: (t) => (text += t) }).error('data.dvc:2: expected "outs:"', { file: 'data.dvc', line: 2 });
    terminalLogger({ write: (t) => (text += t) }).warn('data/objects.csv:4: object "DM-0003" has no image', {
      file: 'data/objects.csv',
      line: 4,
      object: 'DM-0003',
    });
    expect(text).toBe(
      'error: data.dvc:2: expected "outs:"\nwarning: data/objects.csv:4: object "DM-0003" has no image\n',
    );
  });

  it('adds no second place before a message that starts with its own (an image problem of a labelled object)', () => {
    let text = '';
    terminalLogger({ write: (t) => (text += t) }).warn('data/objects.csv:69: object "ODD-1": the image is too large', {
      file: 'labels.csv',
      line: 69,
      object: 'ODD-1',
    });
    expect(text).toBe('warning: data/objects.csv:69: object "ODD-1": the image is too large\n');
  });

  it('names a folder given with -C that does not exist', async () => {
    const log = memoryLogger();
    expect(await main(['run', '-C', path.join(root, 'nowhere')], { cwd: root, env: {}, stdout: () => {}, log })).toBe(
      1,
    );
    expect(log.lines[0]!.message).toMatch(/The folder .*nowhere does not exist/);
  });
});
