import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../pipeline/cli/completion.ts';
import { closest } from '../../pipeline/cli/suggest.ts';
import { allCommands, checkArguments, gateExit, main } from '../../pipeline/cli.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { workspaceModelIdentity, writeModel } from '../registry/helpers.ts';
import { packageVersion, runCli } from './run-cli.ts';

/*
 * Issue 15 #4: the command line follows the conventions. Exit codes: 0 done, 1 failed, 2 a mistake in
 * the command line, 3 the gate failed with --fail-on-gate. Every command's usage errors are in tables.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-usage-'));
  // A Vitrine repository (the commands look for params.yaml), on the default labels.
  await writeFile(
    path.join(root, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const vitrine = (args: string[]) => runCli(root, args);

describe('usage mistakes and conventions (table)', () => {
  const table: { args: string[]; code: number; says?: RegExp; stdout?: RegExp }[] = [
    { args: ['trian'], code: 2, says: /"trian" is not a vitrine command\. Did you mean "vitrine train"\?/ },
    { args: ['modles', 'list'], code: 2, says: /Did you mean "vitrine models"\?/ },
    {
      args: ['models', 'lst'],
      code: 2,
      says: /"lst" is not a "vitrine models" command\. Did you mean "vitrine models list"\?/,
    },
    { args: ['data', 'pusj'], code: 2, says: /Did you mean "vitrine data push"\?/ },
    { args: ['models'], code: 2, says: /"vitrine models" needs a command: list, show, rollback/ },
    { args: ['data'], code: 2, says: /"vitrine data" needs a command/ },
    { args: ['models', '--help'], code: 0, stdout: /vitrine models show/ },
    { args: ['--verison'], code: 2, says: /Did you mean "--version"\?/ },
    { args: ['xyzzy'], code: 2, says: /^error: "xyzzy" is not a vitrine command\. Run "npx vitrine --help"/ },
    { args: ['-V'], code: 0, stdout: new RegExp(`^vitrine ${packageVersion.replace(/\./g, '\\.')}\\n$`) },
    { args: ['--version'], code: 0, stdout: /^vitrine \d/ },
    { args: [], code: 0, stdout: /Exit codes: 0 done; 1 failed/ },
    // A script that asks for JSON and names no command gets a usage mistake, not the human help on stdout (tester).
    {
      args: ['--json'],
      code: 2,
      says: /--json needs a command to go with it, such as "npx vitrine --json data status"/,
    },
    { args: ['-C', '.', '--json'], code: 2, says: /--json needs a command/ },
    { args: ['--json=true'], code: 2, says: /--json needs a command/ },
    { args: ['help'], code: 0, stdout: /Usage: npx vitrine <command>/ },
    { args: ['help', 'train'], code: 0, stdout: /^Usage: npx vitrine train \[options\]/ },
    { args: ['help', 'data', 'push'], code: 0, stdout: /^Usage: npx vitrine data push \[options\]/ },
    { args: ['help', 'trian'], code: 2, says: /Did you mean "vitrine train"\?/ },
    {
      args: ['run', '--forse'],
      code: 2,
      says: /"--forse" is not an option of "vitrine run"\. Did you mean "--force"\? Run "npx vitrine run --help"/,
    },
    { args: ['run', 'trian'], code: 2, says: /There is no stage called "trian"\. Did you mean "train"\?/ },
    { args: ['run', '--single'], code: 2, says: /--single needs the stages/ },
    { args: ['run', 'train', '--shard', '1/2', '--single'], code: 2, says: /--shard and --single cannot be used/ },
    { args: ['run', '--shard', '1/2', '--force'], code: 2, says: /--shard and --force cannot be used together/ },
    { args: ['evaluate', '--shard', '1/2', '--force'], code: 2, says: /--shard and --force cannot be used/ },
    { args: ['run', '--shard', '1/2', '--fail-on-gate'], code: 2, says: /--shard and --fail-on-gate cannot be/ },
    { args: ['run', '--shard', '1/2', '--pull-caches'], code: 2, says: /--shard and --pull-caches cannot be/ },
    {
      args: ['models', 'show'],
      code: 2,
      says: /"vitrine models show" needs <version>\. Usage: npx vitrine models show <version>/,
    },
    { args: ['models', 'rollback'], code: 2, says: /needs <version>/ },
    {
      args: ['models', 'push', '--retry', 'again'],
      code: 2,
      says: /--retry is "again", expected "promote" or "rollback:<version>"/,
    },
    { args: ['models', 'push', '--reason', 'misreads masks'], code: 2, says: /--reason goes with --retry rollback:/ },
    { args: ['models', 'push', 'origin'], code: 2, says: /"vitrine models push" takes no arguments \(got "origin"\)/ },
    { args: ['models', 'show', 'v1', 'v2'], code: 2, says: /takes <version> only \(got also "v2"\)/ },
    { args: ['data', 'init'], code: 2, says: /needs <remote-url>/ },
    { args: ['dataset', 'extra'], code: 2, says: /"vitrine dataset" takes no arguments \(got "extra"\)/ },
    {
      args: ['import', '--metadata'],
      code: 2,
      says: /^error: --metadata needs a value after it\. Run "npx vitrine import --help"/,
    },
    // Node's "Option '-C, --cwd <value>' argument missing" said in plain words (an outside tester).
    {
      args: ['run', '-C'],
      code: 2,
      says: /^error: -C needs the repository's folder after it, like: npx vitrine -C \.\.\//,
    },
    { args: ['-C'], code: 2, says: /^error: -C needs the repository's folder after it, like: npx vitrine -C \.\.\// },
    { args: ['import', '--labels', 'overwrite'], code: 2, says: /--labels is "merge" or "replace"/ },
    { args: ['serve', '--port', 'abc'], code: 2, says: /--port takes a port number/ },
    { args: ['demo', '--add', 'many'], code: 2, says: /--add takes a number of objects/ },
    { args: ['data', 'push', '--jobs', '0'], code: 2, says: /--jobs "0" is not allowed/ },
    { args: ['params', 'get'], code: 2, says: /"vitrine params get" needs <key>/ },
    {
      args: ['params', 'get', 'scale.shard'],
      code: 2,
      says: /"scale.shard" is not a setting.*Did you mean "scale.shards"\?/,
    },
    { args: ['params', 'get', 'collection.name'], code: 0, stdout: /^Test Museum\n$/ },
    { args: ['catalogue', '--check-addresses', 'x.json', '--shard', '1/2'], code: 2, says: /cannot be used together/ },
    { args: ['completion'], code: 2, says: /needs <shell>/ },
    { args: ['completion', 'powershell'], code: 2, says: /choose bash, zsh or fish/ },
    { args: ['run', '-C', 'nowhere'], code: 1, says: /The folder .*nowhere does not exist/ },
  ];
  for (const { args, code, says, stdout } of table) {
    it(`vitrine ${args.join(' ') || '(nothing)'} → exit ${code}`, async () => {
      const result = await vitrine(args);
      expect(result.code, result.messages).toBe(code);
      if (says) expect(result.messages).toMatch(says);
      if (stdout) expect(result.stdout).toMatch(stdout);
      // A mistake in the command line is never reported as a bug.
      expect(result.messages).not.toContain('did not expect');
    });
  }
});

describe('every command', () => {
  it('refuses an unknown option with exit 2, suggests a near one, and takes its help as "help <command>"', async () => {
    for (const command of await allCommands()) {
      const words = command.name.split(' ');
      const unknown = await vitrine([...words, '--no-such-option']);
      expect(unknown.code, command.name).toBe(2);
      expect(unknown.messages).toContain(`"--no-such-option" is not an option of "vitrine ${command.name}"`);
      expect(unknown.messages).toContain(`npx vitrine ${command.name} --help`);
      const option = Object.keys(command.options ?? {}).find((o) => o.length >= 4) ?? 'verbose';
      const typo = `--${option.slice(0, -2)}${option.at(-1)}${option.at(-2)}`;
      const misspelt = await vitrine([...words, typo]);
      expect(misspelt.code, `${command.name} ${typo}`).toBe(2);
      expect(misspelt.messages, `${command.name} ${typo}`).toContain(`Did you mean "--${option}"?`);
      const viaHelp = await vitrine(['help', ...words]);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toBe((await vitrine([...words, '--help'])).stdout);
      expect(viaHelp.stdout).toContain('Exit codes: 0 done, 1 failed, 2 a mistake in the command line');
    }
  });

  it('requires its required arguments and refuses extra ones (exit 2)', async () => {
    for (const command of await allCommands()) {
      const words = command.name.split(' ');
      const tokens = (command.args ?? '').split(/\s+/).filter(Boolean);
      if (tokens.some((t) => t.startsWith('<'))) {
        const result = await vitrine(words);
        expect(result.code, command.name).toBe(2);
        expect(result.messages).toContain(`"vitrine ${command.name}" needs <`);
      }
      if (!tokens.some((t) => t.includes('...'))) {
        const result = await vitrine([...words, ...tokens.map(() => 'x'), 'one-too-many']);
        expect(result.code, command.name).toBe(2);
        expect(result.messages).toContain('"one-too-many"');
      }
    }
  });

  it('reads the usage line: <required>, [optional], ... for any number', () => {
    const command = { name: 'x', summary: '', args: '<a> [b]', run: async () => {} };
    expect(checkArguments(command, [])).toBe('"vitrine x" needs <a>.');
    expect(checkArguments(command, ['1'])).toBeUndefined();
    expect(checkArguments(command, ['1', '2'])).toBeUndefined();
    expect(checkArguments(command, ['1', '2', '3'])).toMatch(/takes <a> \[b\] only/);
    expect(checkArguments({ ...command, args: '[stage...]' }, ['1', '2', '3'])).toBeUndefined();
  });
});

describe('did you mean', () => {
  it('suggests near misses and prefixes, and nothing for unrelated words', () => {
    expect(closest('trian', ['train', 'dataset'])).toBe('train');
    expect(closest('mod', ['models', 'monitor'])).toBe('models');
    expect(closest('catalog', ['catalogue', 'completion'])).toBe('catalogue');
    expect(closest('xyzzy', ['train', 'models', 'data'])).toBeUndefined();
    expect(closest('q', ['quiet'])).toBeUndefined();
  });
});

describe('--quiet', () => {
  it('drops information and progress, keeps warnings and errors', async () => {
    const dir = path.join(root, 'quiet');
    await mkdir(path.join(dir, 'export'), { recursive: true });
    await writeFile(path.join(dir, 'export', 'objects.csv'), 'id,image,label\nA1,,coin\nA1,,coin\n');
    await writeFile(
      path.join(dir, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\nimport:\n  on_invalid: skip\n',
    );
    for (const flag of ['-q', '--quiet']) {
      const log = memoryLogger();
      const code = await main(['import', flag, '--metadata', 'export/objects.csv'], {
        cwd: dir,
        env: {},
        stdout: () => {},
        log,
      });
      expect(code).toBe(1);
      expect(log.lines.filter((l) => l.level === 'info')).toEqual([]);
      expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('appears again'))).toBe(true);
      expect(log.lines.some((l) => l.level === 'error' && l.message.includes('1 row was refused'))).toBe(true);
    }
  });
});

describe('--fail-on-gate', () => {
  it('is offered by run and the commands that evaluate', async () => {
    const names = (await allCommands()).filter((c) => c.options?.['fail-on-gate']).map((c) => c.name);
    expect(names).toEqual(['run', 'evaluate', 'report', 'promote', 'catalogue']);
  });

  it('gives exit 3 when metrics.json says the gate failed, 0 when it passed, 1 when there is no verdict', async () => {
    const ws = workspace(path.join(root, 'gate'));
    await mkdir(ws.evaluate, { recursive: true });
    const log = memoryLogger();
    const ctx = { ws, log, clock: systemClock, env: {}, json: false, out: () => {} };
    expect(await gateExit(ctx)).toBe(1);
    const metrics = (passed: boolean) =>
      JSON.stringify({
        gate: { passed, checks: [{ name: 'macro F1 at least 0.6', passed, detail: 'macro F1 0.41' }] },
      });
    await writeFile(path.join(ws.evaluate, 'metrics.json'), metrics(false));
    expect(await gateExit(ctx)).toBe(3);
    expect(log.lines.at(-1)!.message).toContain('macro F1 at least 0.6: macro F1 0.41');
    await writeFile(path.join(ws.evaluate, 'metrics.json'), metrics(true));
    expect(await gateExit(ctx)).toBe(0);
  });

  it("does not answer with another model's gate: metrics.json names the model it evaluated", async () => {
    const ws = workspace(path.join(root, 'gate-other'));
    await mkdir(ws.evaluate, { recursive: true });
    const log = memoryLogger();
    const ctx = { ws, log, clock: systemClock, env: {}, json: false, out: () => {} };
    await writeModel({ ws, predicts: 'coin' });
    const evaluated = await workspaceModelIdentity(ws);
    const metrics = (model: string) => JSON.stringify({ inputs: { model }, gate: { passed: true, checks: [] } });
    await writeFile(path.join(ws.evaluate, 'metrics.json'), metrics(evaluated));
    expect(await gateExit(ctx)).toBe(0);
    // `vitrine run train --single` after the evaluation: the passed gate is the old model's.
    await writeModel({ ws, predicts: 'mask' });
    expect(await gateExit(ctx)).toBe(1);
    expect(log.lines.at(-1)!.message).toContain('the scores in metrics.json were measured on another model');
  });
});

describe('--fail-on-gate through the command line', () => {
  const exec = promisify(execFile);
  it('exits 3 when the gate failed, on a branch (no promotion) and on main (promotion refused); without it, 0 and 1', async () => {
    const dir = path.join(root, 'gate-cli');
    await mkdir(path.join(dir, '.vitrine', 'evaluate'), { recursive: true });
    const failed = {
      gate: {
        passed: false,
        checks: [{ name: 'macro-F1 at least the minimum', passed: false, detail: 'macro-F1 0.40' }],
      },
    };
    await writeFile(path.join(dir, '.vitrine', 'evaluate', 'metrics.json'), JSON.stringify(failed));
    const git = (...args: string[]) =>
      exec('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], { cwd: dir });
    await git('init', '-q', '-b', 'fix-labels');
    await git('commit', '-q', '--allow-empty', '-m', 'start');
    const run = async (...extra: string[]) => {
      const log = memoryLogger();
      const code = await main(['run', 'promote', '--single', '--force', ...extra], {
        cwd: dir,
        env: {},
        stdout: () => {},
        log,
      });
      return { code, text: log.lines.map((l) => l.message).join('\n') };
    };
    expect((await run()).code).toBe(0);
    const onBranch = await run('--fail-on-gate');
    expect(onBranch.code).toBe(3);
    expect(onBranch.text).toContain('macro-F1 at least the minimum: macro-F1 0.40');
    await git('branch', '-m', 'main');
    expect((await run()).code).toBe(1);
    expect((await run('--fail-on-gate')).code).toBe(3);
  });
});

describe('vitrine completion', () => {
  const exec = promisify(execFile);
  async function complete(line: string): Promise<string[]> {
    const { stdout } = await vitrine(['completion', 'bash']);
    const script = path.join(root, 'completion.bash');
    await writeFile(script, stdout);
    const words = line.split(' ');
    const shell =
      `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); ` +
      `COMP_CWORD=${words.length - 1}; _vitrine_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await exec('bash', ['-c', shell])).stdout.split('\n').filter(Boolean).sort();
  }

  it('completes commands, subcommands, options and stages in bash', async () => {
    expect(await complete('vitrine mo')).toEqual(['models', 'monitor']);
    expect(await complete('vitrine data pu')).toEqual(['pull', 'push']);
    expect(await complete('vitrine models show --js')).toEqual(['--json']);
    expect(await complete('vitrine run --fo')).toEqual(['--force']);
    expect(await complete('vitrine run --fail')).toEqual(['--fail-on-gate']);
    expect(await complete('vitrine run tr')).toEqual(['train']);
    expect(await complete('vitrine completion z')).toEqual(['zsh']);
    // A command that is also a group: its sub-commands and its own options.
    expect(await complete('vitrine params g')).toEqual(['get']);
    expect(await complete('vitrine params --js')).toEqual(['--json']);
    expect(await complete('vitrine catalogue --check')).toEqual(['--check-addresses']);
  });

  it('prints zsh (through bashcompinit) and fish scripts built from the same commands', async () => {
    const commands = await allCommands();
    const table = { commands, globalOptions: {}, argumentWords: {} };
    const zsh = completionScript({ shell: 'zsh', table });
    expect(zsh).toContain('bashcompinit');
    expect(zsh).toContain('complete -F _vitrine_complete vitrine');
    const fish = completionScript({ shell: 'fish', table });
    for (const command of commands) expect(fish).toContain(`-a '${command.name.split(' ').at(-1)}'`);
    expect(fish).toContain("-n '__fish_seen_subcommand_from data; and __fish_seen_subcommand_from push' -l remote");
    const { code, stdout } = await vitrine(['completion', 'fish']);
    expect(code).toBe(0);
    expect(stdout).toContain('complete -c vitrine');
  });
});

describe('global options before the command', () => {
  it('accepts --json, -q and -C before the command, as git and npm do', async () => {
    const repo = path.join(root, 'hoisted');
    await mkdir(repo, { recursive: true });
    const before = await vitrine(['-C', repo, '--json', 'data', 'status']);
    const after = await vitrine(['data', 'status', '-C', repo, '--json']);
    expect(before.messages).not.toMatch(/is not an option/);
    expect(before.code).toBe(after.code);
    expect(before.stdout).toBe(after.stdout);
    expect(() => JSON.parse(before.stdout)).not.toThrow();
    const quiet = await vitrine(['-q', 'models', 'lst']);
    expect(quiet.code).toBe(2);
    expect(quiet.messages).toMatch(/Did you mean "vitrine models list"\?/);
  });

  it('still refuses an option vitrine itself does not have', async () => {
    const { code, messages } = await vitrine(['--force', 'run']);
    expect(code).toBe(2);
    expect(messages).toMatch(/"--force" is not an option of vitrine itself/);
  });
});
