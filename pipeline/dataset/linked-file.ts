import { lstat, readlink } from 'node:fs/promises';
import { VitrineError } from '../errors.ts';

/**
 * Refuses a file of the collection kept in git (labels.csv) that is a symbolic link, before it is read: a link can
 * be committed and point anywhere on the computer that runs Vitrine, and the lines read through it would be printed
 * in warnings, in a runner's public log (an outside tester linked labels.csv to a file of credentials). The workflows'
 * guard refuses such a file in a pull request ("is a symlink, not a regular file"); this is the same rule for runs on
 * main and on staff's computers. `name` is how messages call the file. Nothing is done when it is not a link.
 */
export async function refuseLinkedFile({ file, name }: { file: string; name: string }): Promise<void> {
  const entry = await lstat(file).catch(() => null);
  if (!entry?.isSymbolicLink()) return;
  const to = await readlink(file).catch(() => '?');
  throw new VitrineError(
    'LABELS_LINK',
    `${name} is a symbolic link (to ${to}), not a regular file, and Vitrine does not read the collection's files ` +
      'through a link: it could point anywhere on this computer, and the lines read would be printed in warnings. ' +
      `Nothing was read. Put the file itself in place of the link (copy the file it points to over ${name}), ` +
      'commit it, then run the command again.',
    { file: name, link: to },
  );
}
