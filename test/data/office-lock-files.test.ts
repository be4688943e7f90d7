import { describe, expect, it } from 'vitest';
import { systemFiles, systemFilesAdvice } from '../../pipeline/data/system-files.ts';

/*
 * Reviewer V12: Excel's lock file "~$objects.csv" (while objects.csv is open) and LibreOffice's ".~lock.objects.csv#"
 * in data/ were data/ not as data.dvc records, with the advice to record them ("npx vitrine data add") in the dataset
 * stage's warning and the promotion's refusal. They are files a program makes by itself, as .DS_Store is: the advice
 * names them and the .dvcignore line that leaves them out.
 */
describe('lock files of office programs in data/', () => {
  it('are files the computer makes, not part of the collection', () => {
    expect(systemFiles(['~$objects.csv', 'sub/.~lock.objects.csv#', 'objects.csv', 'a~$b.csv', '.~lock.x'])).toEqual([
      '~$objects.csv',
      'sub/.~lock.objects.csv#',
    ]);
    // A photograph named so is a photograph (reviewer V13): only an office document's lock file is one.
    expect(systemFiles(['images/~$coin.jpg', '~$scan.tif', '~$book.xlsx', '~$notes.docx'])).toEqual([
      '~$book.xlsx',
      '~$notes.docx',
    ]);
  });

  it('get the .dvcignore lines that leave them out for good, and a word for the office program', () => {
    const advice = systemFilesAdvice({ files: ['~$objects.csv', '.~lock.objects.csv#'] });
    // "~$*.csv", not "~$*": a photograph named "~$coin.jpg" is not left out with it.
    expect(advice).toContain('"~$*.csv" and ".~lock.*#" to the file .dvcignore');
    expect(advice).toContain('an office program');
  });
});
