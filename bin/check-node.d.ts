/** Why this Node cannot run Vitrine (one line), or undefined when it can. */
export function nodeProblem(options: { version: string; engines: string; execPath: string }): string | undefined;
