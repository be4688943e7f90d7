import { VitrineError } from '../errors.ts';
import type { Command, OptionSpec } from './command.ts';

/*
 * `vitrine completion bash|zsh|fish`: a completion script generated from the same command table as
 * --help, so it never lists a command or option that does not exist.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionTable {
  commands: Command[];
  globalOptions: Record<string, OptionSpec>;
  /** Words a command takes as arguments (stages for run, shells for completion). */
  argumentWords: Record<string, string[]>;
}

/** The completion script for a shell. */
export function completionScript({ shell, table }: { shell: Shell; table: CompletionTable }): string {
  if (shell === 'fish') return fishScript(table);
  const bash = bashScript(table);
  // zsh runs bash completion functions through bashcompinit, as many tools ship theirs.
  if (shell === 'bash')
    return `# vitrine completion for bash: add  eval "$(npx vitrine completion bash)"  to ~/.bashrc\n${bash}`;
  return [
    '#compdef vitrine',
    '# vitrine completion for zsh: add  eval "$(npx vitrine completion zsh)"  to ~/.zshrc',
    'autoload -U +X compinit && compinit',
    'autoload -U +X bashcompinit && bashcompinit',
    bash,
  ].join('\n');
}

function flags(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]);
}

function quote(words: string[]): string {
  return `"${words.join(' ')}"`;
}

function bashScript({ commands, globalOptions, argumentWords }: CompletionTable): string {
  const first = [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
  const groups = first.filter((w) => commands.some((c) => c.name.startsWith(`${w} `)));
  const wordsOf = (c: Command) => [
    ...flags({ ...(c.options ?? {}), ...globalOptions }),
    ...(argumentWords[c.name] ?? []),
  ];
  const cases = commands.map((c) => `    ${quote([c.name])}) words=${quote(wordsOf(c))} ;;`);
  const subsOf = (g: string) => commands.filter((c) => c.name.startsWith(`${g} `)).map((c) => c.name.split(' ')[1]!);
  // A group that is a command too (params, params get): its sub-commands, and its own options.
  const groupWords = (g: string) => {
    const own = commands.find((c) => c.name === g);
    return [...subsOf(g), ...(own ? wordsOf(own) : [])];
  };
  const groupCases = groups.map((g) => `    ${g}) words=${quote(groupWords(g))} ;;`);
  return `_vitrine_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" typed=() w words
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do [[ "$w" == -* ]] || typed+=("$w"); done
  local key="\${typed[0]}"
  case "$key" in
${groups.map((g) => `    ${g}) key="${g} \${typed[1]}" ;;`).join('\n')}
  esac
  if [[ \${#typed[@]} -eq 0 ]]; then
    words=${quote([...first, ...flags(globalOptions), '--version', '-V'])}
  elif [[ \${#typed[@]} -eq 1 && " ${groups.join(' ')} " == *" \${typed[0]} "* ]]; then
    case "\${typed[0]}" in
${groupCases.join('\n')}
    esac
  else
    case "$key" in
${cases.join('\n')}
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _vitrine_complete vitrine
`;
}

function fishScript({ commands, globalOptions, argumentWords }: CompletionTable): string {
  const esc = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const first = [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
  const lines = [
    '# vitrine completion for fish: npx vitrine completion fish > ~/.config/fish/completions/vitrine.fish',
    'complete -c vitrine -f',
  ];
  for (const word of first) {
    const command = commands.find((c) => c.name === word);
    const summary = command?.summary ?? `${word} commands`;
    lines.push(`complete -c vitrine -n '__fish_use_subcommand' -a ${esc(word)} -d ${esc(summary)}`);
  }
  const option = (condition: string, name: string, spec: OptionSpec) => {
    const short = spec.short ? ` -s ${spec.short}` : '';
    return `complete -c vitrine -n ${esc(condition)} -l ${name}${short}${spec.type === 'string' ? ' -r' : ''} -d ${esc(spec.description)}`;
  };
  for (const [name, spec] of Object.entries(globalOptions)) lines.push(option('true', name, spec));
  lines.push(`complete -c vitrine -n '__fish_use_subcommand' -s V -l version -d 'Print the version.'`);
  for (const command of commands) {
    const [head, sub] = command.name.split(' ');
    const seen = `__fish_seen_subcommand_from ${head}`;
    const condition = sub ? `${seen}; and __fish_seen_subcommand_from ${sub}` : seen;
    if (sub) {
      const siblings = commands.filter((c) => c.name.startsWith(`${head} `)).map((c) => c.name.split(' ')[1]);
      const before = `${seen}; and not __fish_seen_subcommand_from ${siblings.join(' ')}`;
      lines.push(`complete -c vitrine -n ${esc(before)} -a ${esc(sub)} -d ${esc(command.summary)}`);
    }
    for (const [name, spec] of Object.entries(command.options ?? {})) lines.push(option(condition, name, spec));
    const words = argumentWords[command.name];
    if (words) lines.push(`complete -c vitrine -n ${esc(condition)} -a ${esc(words.join(' '))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `completion` command; the table comes from the CLI (every command, including this one). */
export function completionCommand(table: () => Promise<CompletionTable>): Command {
  return {
    name: 'completion',
    summary: 'Print a shell completion script for bash, zsh or fish.',
    args: '<shell>',
    outsideRepository: true,
    help: `bash:  add  eval "$(npx vitrine completion bash)"  to ~/.bashrc
zsh:   add  eval "$(npx vitrine completion zsh)"  to ~/.zshrc
fish:  npx vitrine completion fish > ~/.config/fish/completions/vitrine.fish
Completes the "vitrine" command (in a repository, put node_modules/.bin on PATH, or install Vitrine globally).`,
    async run(ctx, { positionals }) {
      const shell = positionals[0]!;
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new VitrineError(
          'USAGE',
          `"${shell}" is not a shell vitrine has completion for: choose bash, zsh or fish.`,
        );
      }
      ctx.out(completionScript({ shell: shell as Shell, table: await table() }));
    },
  };
}
