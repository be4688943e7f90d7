import type { Command } from '../cli/command.ts';

/** `vitrine monitor` commands (filled in next: drift report and retraining check). */
export const monitorCommands: Command[] = [];
