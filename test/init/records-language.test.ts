import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageWords, recordsLanguage } from '../../pipeline/init/language.ts';
import { parseParams } from '../../pipeline/params.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * D37: init wrote catalogue.language: en for every export, also one wholly in German, Arabic or Japanese, and the
 * public catalogue then told browsers, screen readers and Pagefind that the records were English. init now reads the
 * records' titles, descriptions and makers: by their letters, or for the Latin alphabet by their common small words,
 * and writes the language only when most records agree and there are enough of them.
 */

const TITLES: Record<string, string[]> = {
  de: [
    'Teller mit Blumendekor',
    'Bildnis der Gräfin von Arco',
    'Krug aus Steinzeug mit Zinndeckel',
    'Ansicht des Hafens von Hamburg',
    'Schale für die Tafel des Fürsten',
    'Figur eines Jägers mit Hund',
  ],
  fr: [
    'Assiette à décor de fleurs',
    "Portrait de la comtesse d'Arco",
    'Vue du port de Marseille',
    'Vase avec des anses en forme de serpents',
    "Figure d'un chasseur et son chien",
    'Coupe pour la table du prince',
  ],
  es: [
    'Plato con decoración de flores',
    'Retrato de la condesa de Arco',
    'Vista del puerto de Cádiz',
    'Jarra de cerámica con asa',
    'Figura de un cazador y su perro',
    'Cuenco para la mesa del rey',
  ],
  it: [
    'Piatto con decorazione a fiori',
    'Ritratto della contessa di Arco',
    'Veduta del porto di Genova',
    'Vaso con anse a forma di serpenti',
    'Figura di un cacciatore e il suo cane',
    'Coppa per la tavola del principe',
  ],
  nl: [
    'Bord met bloemendecor',
    'Portret van de gravin van Arco',
    'Gezicht op de haven van Amsterdam',
    'Kan van steengoed met tinnen deksel',
    'Beeldje van een jager en zijn hond',
    'Schaal voor de tafel van de prins',
  ],
  en: [
    'Plate with floral decoration',
    'Portrait of the Countess of Arco',
    'View of the harbour at Genoa',
    'Jug with a pewter lid',
    'Figure of a hunter and his dog',
    'Bowl for the table of the prince',
  ],
  ar: ['إبريق من النحاس المطروق', 'صحن خزفي مزخرف', 'مخطوطة قرآنية مذهبة', 'مصباح مسجد من الزجاج'],
  fa: ['کاسه سفالی با نقش گل', 'قلمدان لاکی', 'پرده نقاشی قهوه خانه', 'قالی ابریشمی'],
  he: ['כד חרס מעוטר', 'מנורת חנוכה מכסף', 'כתובה מאוירת', 'פמוטים לשבת'],
  el: ['Αμφορέας με μελανόμορφες παραστάσεις', 'Κύλικα', 'Ειδώλιο γυναίκας', 'Χάλκινο κάτοπτρο'],
  ru: ['Ваза с цветочным орнаментом', 'Портрет графини', 'Икона Богоматери', 'Самовар из латуни'],
  uk: ['Ваза з квітковим орнаментом', 'Портрет графині', 'Писанка', 'Вишита сорочка'],
  // Japanese titles are often kanji alone: the kana of the others tell them from Chinese.
  ja: ['色絵の花瓶', '富士山の浮世絵', '茶碗', '蒔絵の硯箱'],
  ko: ['백자 달항아리', '청자 상감 운학문 매병', '분청사기 편병', '나전칠기 함'],
  zh: ['青花瓷瓶', '山水画', '铜鼎', '粉彩花鸟纹盘'],
};

/** `n` records of `language`, its titles in turn, each with a maker in Latin letters (as exports often have). */
function records(language: string, n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({
    cells: { id: `O-${from + i}`, title: TITLES[language]![i % TITLES[language]!.length]!, maker: 'Hokusai Studio' },
  }));
}
const columns = { id: 'id', title: 'title', maker: 'maker' };

describe("the catalogue's language init reads from the export's records", () => {
  it.each(Object.keys(TITLES))('is %s for an export wholly in it', (language) => {
    const guess = recordsLanguage({ rows: records(language, 24), columns });
    expect(guess.language, guess.why).toBe(language);
  });

  it('says why in plain words: most titles are in the language, with the count', () => {
    const guess = recordsLanguage({ rows: records('de', 24), columns: { id: 'id', title: 'title' } });
    expect(guess).toMatchObject({ language: 'de', name: 'German' });
    expect(guess.why).toMatch(/^most titles are German \(\d+ of the \d+ records whose words tell\)$/);
  });

  it('is none for a handful of records, however clear their words', () => {
    const guess = recordsLanguage({ rows: records('de', 4), columns });
    expect(guess.language).toBeUndefined();
    expect(guess.why).toMatch(/too few/);
  });

  it('is none for records half in German, half in French, and says they are mixed', () => {
    const guess = recordsLanguage({ rows: [...records('de', 12), ...records('fr', 12, 12)], columns });
    expect(guess.language).toBeUndefined();
    expect(guess.why).toMatch(/mixed/);
    expect(guess.why).toMatch(/German/);
    expect(guess.why).toMatch(/French/);
  });

  it('is none for titles of one word each, which no language owns', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ cells: { id: `O-${i}`, title: i % 2 ? 'Vase' : 'Teller' } }));
    expect(recordsLanguage({ rows, columns }).language).toBeUndefined();
  });

  it('is none when no title or description column is mapped', () => {
    const guess = recordsLanguage({ rows: records('de', 24), columns: { id: 'id' } });
    expect(guess.language).toBeUndefined();
    expect(guess.why).toMatch(/no title or description column/);
  });

  it('counts an object named on several rows (a row per photograph) once', () => {
    const rows = [...records('de', 4), ...Array.from({ length: 20 }, () => records('de', 1)[0]!)];
    expect(recordsLanguage({ rows, columns }).language).toBeUndefined();
  });
});

describe('vitrine init over an export', () => {
  async function init(titles: string[]) {
    const root = await tempDir('vitrine-init-language-');
    const rows = titles.map((t, i) => [`A${i + 1}`, `o${i + 1}.jpg`, i % 2 ? 'coin' : 'vase', t]);
    const dir = path.join(root, 'export');
    const { csv, images } = await smallExport({ dir, header: ['id', 'image', 'type', 'title'], rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    return { said, text: await readFile(path.join(museum, 'params.yaml'), 'utf8') };
  }

  it('wholly in German writes catalogue.language de, with a comment saying why, and says so', async () => {
    const { said, text } = await init(records('de', 24).map((r) => r.cells.title));
    expect(parseParams({ text, name: 'params.yaml' }).catalogue.language).toBe('de');
    expect(text).toMatch(/# Set by vitrine init: most titles are German \(24 of the 24 records whose words tell\)/);
    expect(said).toMatch(/params\.yaml sets catalogue\.language to de \(German\)/);
  });

  // The mixed case through the words init says (a second init run costs seconds; the words are all it changes).
  it('in German and French keeps en and says to set catalogue.language in params.yaml', () => {
    const guess = recordsLanguage({ rows: [...records('de', 12), ...records('fr', 12, 12)], columns });
    const { said, next, comment } = languageWords(guess);
    expect(said).toMatch(/could not tell which language the records are written in \(they are mixed: 12 in German/);
    expect(said).toMatch(/params\.yaml says catalogue\.language: en \(English\) until you set it\.$/);
    expect(next).toMatch(/^set catalogue\.language in params\.yaml to the language your records are written in/);
    expect(comment).toMatch(/^ vitrine init could not tell which language the records are written in/);
    expect(comment.split('\n').every((l) => l.length <= 112)).toBe(true);
  });
});

/*
 * D44 (reviewer V33): makers decided the language (English titles by Dutch painters were Dutch), and languages init
 * does not know were given one it does (Portuguese as Italian, Urdu as Persian, kanji-only Japanese as Chinese). A
 * wrong tag is worse than en and a line saying to set it.
 */
describe('the language init writes is never a confident wrong one', () => {
  /** 30 records from `samples` in turn: [title, description, maker]. */
  function guessOf(samples: [string, string, string][]) {
    const rows = Array.from({ length: 30 }, (_, i) => {
      const [title, description, maker] = samples[i % samples.length]!;
      return { cells: { id: `R-${i}`, title, description, maker } };
    });
    return recordsLanguage({ rows, columns: { id: 'id', title: 'title', description: 'description', maker: 'maker' } });
  }

  it.each([
    [
      'Dutch painters',
      [
        ['Portrait', '', 'Rembrandt van Rijn'],
        ['Still life', '', 'Willem Claesz. Heda'],
        ['Interior', '', 'Pieter de Hooch'],
        ['Landscape', '', 'Jacob van Ruisdael'],
        ['Seascape', '', 'Willem van de Velde'],
      ],
    ],
    [
      'German painters',
      [
        ['Portrait', '', 'Lucas Cranach der Ältere'],
        ['Madonna', '', 'Meister des Marienlebens'],
        ['Portrait', '', 'Hans Holbein der Jüngere'],
        ['Altarpiece', '', 'Meister der Heiligen Sippe'],
      ],
    ],
    ['an Arabic name', [['Bowl', 'Bowl', 'محمد']]],
    ['Japanese names', [['Tea bowl', 'Raku ware', '長次郎']]],
  ] as [string, [string, string, string][]][])('is none for English titles of one word by %s', (_, samples) => {
    const guess = guessOf(samples);
    expect(guess.language, guess.why).toBeUndefined();
  });

  it('still goes by titles and descriptions whatever the makers: English records by Dutch painters are English', () => {
    const guess = guessOf([
      ['Portrait of a man', 'Oil on canvas', 'Rembrandt van Rijn'],
      ['View of the harbour', 'Oil on panel', 'Jacob van Ruisdael'],
    ]);
    expect(guess.language, guess.why).toBe('en');
    expect(guess.why).not.toMatch(/maker/);
  });

  it.each([
    [
      'Latin inscriptions',
      [
        ['Tombstone', 'D M ET MEMORIAE', 'Roman'],
        ['Altar', 'I O M ET GENIO LOCI', 'Roman'],
      ],
    ],
    ['Latin titles', [['Ara votiva cum inscriptione', 'De vita et moribus', 'Anonymus']]],
    [
      'Portuguese',
      [
        ['Painel de azulejos', 'Painel de azulejos do século XVIII, da igreja do convento', 'Desconhecido'],
        ['Cálice', 'Cálice de prata dourada da sé de Braga', 'Desconhecido'],
      ],
    ],
    ['Galician', [['Xerra de barro', 'Xerra de barro cocido coa decoración da zona', 'Descoñecido']]],
    [
      'Catalan',
      [
        ['Gerro amb tapa', 'Gerro de porcellana amb decoració de flors i ocells', 'Desconegut'],
        ['Retrat de la senyora', 'Oli sobre tela de la col·lecció del museu', 'Ramon Casas'],
      ],
    ],
    ['Afrikaans', [['Vaas met deksel', 'n Vaas van porselein met n deksel uit die Kaap', 'Onbekend']]],
    ['Bulgarian', [['Ваза с капак', 'Порцеланова ваза с капак от България', 'Неизвестен']]],
    ['Serbian', [['Ваза са поклопцем', 'Порцеланска ваза са поклопцем из Србије', 'Непознат']]],
    ['Kazakh', [['Қазақ кілемі', 'Жүннен тоқылған кілем', 'Белгісіз']]],
    [
      'Urdu',
      [
        ['گلدان', 'چینی مٹی کا گلدان ڈھکن کے ساتھ', 'نامعلوم'],
        ['قلم دان', 'لکڑی کا قلم دان', 'نامعلوم'],
      ],
    ],
    ['Yiddish', [['וואַזע', 'פּאָרצעלײַ וואַזע מיט אַ דעקל', 'אומבאַקאַנט']]],
    [
      'Japanese in kanji alone',
      [
        ['花鳥屏風', '紙本金地著色', '狩野永徳'],
        ['富士山', '絹本著色', '葛飾北斎'],
      ],
    ],
    [
      'Chinese characters alone',
      [
        ['青花瓷瓶', '', ''],
        ['山水', '', ''],
      ],
    ],
    [
      'English with a Japanese gloss',
      [
        ['Tea bowl (茶碗)', 'Raku ware', 'Chōjirō'],
        ['The Great Wave (神奈川沖浪裏)', 'Woodblock print', 'Hokusai'],
      ],
    ],
  ] as [string, [string, string, string][]][])('is none for records in %s, which it does not tell', (_, samples) => {
    const guess = guessOf(samples);
    expect(guess.language, guess.why).toBeUndefined();
  });

  it.each([
    ['es', [['Jarrón con tapa', 'Jarrón de porcelana con decoración azul y blanca', 'Desconocido']]],
    ['nl', [['Vaas met deksel', 'Een vaas van porselein met een deksel', 'Delft']]],
    ['ru', [['Ваза с крышкой', 'Фарфоровая ваза с крышкой из Петербурга', 'Неизвестен']]],
    ['ar', [['إبريق من النحاس', 'إبريق من النحاس المطروق', 'غير معروف']]],
    ['he', [['מנורת חנוכה', 'מנורת חנוכה מכסף', 'לא ידוע']]],
    [
      'zh',
      [
        ['青花瓷瓶', '明代景德镇窑青花瓷瓶', '景德镇'],
        ['山水画', '这幅画', ''],
      ],
    ],
    [
      'ja',
      [
        ['花鳥図屏風', '紙本金地著色', '狩野永徳'],
        ['茶碗', '楽焼の茶碗', '長次郎'],
      ],
    ],
    // 図 is a form only Japanese writes (Chinese 圖 or 图): kanji alone, but clearly Japanese.
    [
      'ja',
      [
        ['花鳥図屏風', '紙本金地著色', '狩野永徳'],
        ['富士山', '絹本著色', '葛飾北斎'],
      ],
    ],
  ] as [string, [string, string, string][]][])('is still %s for records clearly in it', (language, samples) => {
    const guess = guessOf(samples);
    expect(guess.language, guess.why).toBe(language);
  });
});
