import * as core from '@actions/core';
import { commandSafe, type Logger } from '../../pipeline/log.ts';

/** A pipeline Logger that writes GitHub workflow commands (warnings and errors become annotations). */
export function actionsLogger(): Logger {
  const props = (where?: { file?: string; line?: number; object?: string }) =>
    where?.file ? { file: where.file, startLine: where.line } : undefined;
  return {
    // core.info prints the message as it is (warnings and errors are escaped): no line of it may be a command.
    info: (message) => core.info(commandSafe(message)),
    warn: (message, where) => core.warning(message, props(where)),
    error: (message, where) => core.error(message, props(where)),
    debug: (message) => core.debug(message),
    progress: (label, total) => {
      let done = 0;
      let last = 0;
      return {
        tick: (n = 1) => {
          done += n;
          // A line every tenth of the way: CI logs have no live bar.
          if (total > 0 && done - last >= total / 10) {
            last = done;
            core.info(commandSafe(`${label}: ${done}/${total}`));
          }
        },
        done: () => core.info(commandSafe(`${label}: ${done}/${total} done`)),
      };
    },
  };
}
