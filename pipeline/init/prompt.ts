import { createInterface } from 'node:readline';

/** Questions on a terminal. Lines typed ahead are kept for the next question, not lost. */
export interface Prompter {
  /** Ask; an empty answer takes `fallback`. */
  ask(question: string, fallback?: string): Promise<string>;
  say(text: string): void;
  close(): void;
  /** True once the input has ended (Ctrl-D, a closed pipe) and every line typed ahead was read: answers are fallbacks. */
  readonly ended: boolean;
}

export function terminalPrompter({
  input,
  output,
}: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}): Prompter {
  const rl = createInterface({ input, output, terminal: false });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  const next = (): Promise<string | undefined> => {
    if (lines.length || closed) return Promise.resolve(lines.shift());
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    async ask(question, fallback = '') {
      output.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
      const line = await next();
      if (line === undefined) {
        output.write('\n');
        return fallback;
      }
      return line.trim() || fallback;
    },
    say: (text) => void output.write(`${text}\n`),
    close: () => rl.close(),
    get ended() {
      return closed && lines.length === 0;
    },
  };
}

/** "y", "yes", "" (the default) and so on. */
export function isYes(answer: string, fallback = true): boolean {
  const a = answer.trim().toLowerCase();
  if (!a) return fallback;
  return a === 'y' || a === 'yes' || a === 'o' || a === 'oui' || a === 'j' || a === 'ja';
}
