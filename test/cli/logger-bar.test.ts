import { describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';

/*
 * At a terminal, a progress bar is redrawn in place on a line of its own that does not end. A message said while
 * it is drawn (a warning, "Stopped: Ctrl-C pressed. …") starts on a line of its own, not glued to the bar's end.
 */

describe('a message while a progress bar is drawn at a terminal', () => {
  it('starts on a new line; the bar is drawn again below it', () => {
    let out = '';
    let t = 0;
    const log = terminalLogger({ write: (text) => (out += text), isTTY: true, now: () => (t += 1000) });
    const bar = log.progress('Uploading to "storage"', 10);
    bar.tick();
    log.warn('Stopped: Ctrl-C pressed.');
    bar.tick();
    bar.done();
    log.info('after');
    const lines = out.split('\n');
    expect(lines[1]).toBe('warning: Stopped: Ctrl-C pressed.');
    expect(lines[0]).toMatch(/^\r\[#+\.+\] Uploading to "storage": 1\/10/);
    expect(lines[2]).toMatch(/^\r\[#+\.+\] Uploading to "storage": 2\/10/);
    expect(out.endsWith('\x1b[K\nafter\n')).toBe(true);
    expect(out).not.toContain('\n\n');
  });
});
