import { describe, expect, it } from 'vitest';
import { attributed } from '../../src/sync/comments';
import { authorLabel, crossBoxText, MAX_NAME_CHARS } from '../../src/sync/markup';

describe('mentions and files in a copy', () => {
  it('a mention becomes plain @Name, Cyrillic and with spaces, dots, apostrophes, hyphens', () => {
    expect(crossBoxText('Дякую, [Олена Коваленко#12], рахунок є', 'a.1b.app')).toBe('Дякую, @Олена Коваленко, рахунок є');
    expect(crossBoxText('[Мар\'яна Шевчук-Бойко#7] і [Dr. J. O\'Neil-Smith#1004]', 'a.1b.app')).toBe('@Мар\'яна Шевчук-Бойко і @Dr. J. O\'Neil-Smith');
  });

  it('a mention at the start or the end, and two in a row', () => {
    expect(crossBoxText('[Іван Петренко#31] перевірте', 'Buyer B')).toBe('@Іван Петренко перевірте');
    expect(crossBoxText('Перевірте, [Іван Петренко#31]', 'Buyer B')).toBe('Перевірте, @Іван Петренко');
    expect(crossBoxText('[Olena#1][Ivan#2]', 'Buyer B')).toBe('@Olena@Ivan');
  });

  it('a file reference becomes a note naming the box it is in', () => {
    expect(crossBoxText('Рахунок: [file]8812[/file]', 'Buyer B')).toBe('Рахунок: [file in Buyer B\'s box]');
    expect(crossBoxText('[FILE]1[/FILE] and [file]2[/file]', 'a.1b.app')).toBe('[file in a.1b.app\'s box] and [file in a.1b.app\'s box]');
  });

  it('the company is put into the note as it is, even with characters a replacement pattern would use', () => {
    expect(crossBoxText('[file]3[/file]', 'Cash $& Carry $1')).toBe('[file in Cash $& Carry $1\'s box]');
  });

  it('quotes are kept, with what they quote made plain too', () => {
    const quoted = '[quote]Іван Петренко писал(а):\nГотово, [Олена Коваленко#12]\n[/quote]\nДякую!';
    expect(crossBoxText(quoted, 'Buyer B')).toBe('[quote]Іван Петренко писал(а):\nГотово, @Олена Коваленко\n[/quote]\nДякую!');
    expect(crossBoxText('> a quoted line\nreply', 'Buyer B')).toBe('> a quoted line\nreply');
  });

  it('text that merely holds # or brackets, or a file tag left open, stays as it is', () => {
    for (const text of [
      'Order #12 [urgent]', 'C# [v2] #3', '[Olena#]', '[#12]', '[Olena#12a]', 'Olena#12]', '[Olena\n#12]',
      '[file]12', '[file]12[/fil]', '[file]abc[/file]', '[file] 12 [/file]', '[quote]unclosed', '[]', '#',
    ]) {
      expect(crossBoxText(text, 'Buyer B')).toBe(text);
    }
  });

  it('nested-looking brackets: the mention inside is found, the brackets around it stay', () => {
    expect(crossBoxText('[see [Olena#5]]', 'Buyer B')).toBe('[see @Olena]');
    expect(crossBoxText('[urgent] call [Olena#5]', 'Buyer B')).toBe('[urgent] call @Olena');
    // Taking the inner one out closes an outer one, which goes too: nothing reaches the box live.
    expect(crossBoxText('[[Olena#1]#2]', 'Buyer B')).toBe('@@Olena');
  });
});

describe('the attribution line', () => {
  it('a name with a line break cannot fake a second attribution', () => {
    const copy = attributed('Ivan\nOlena Kovalenko, a.1b.app', 'Buyer B', 'approved');
    expect(copy).toBe('Ivan Olena Kovalenko, a.1b.app (Buyer B): approved');
    expect(copy.split('\n')).toHaveLength(1);
  });

  it('control characters, other line separators and direction overrides in a name become one space', () => {
    expect(authorLabel('  Ivan\r\n\t\u2028Petrenko\u0085\u0000 ')).toBe('Ivan Petrenko');
    expect(authorLabel('Ivan\u202EoknerteP')).toBe('Ivan oknerteP');
  });

  it('a name is cut to its limit without splitting a character; an empty one is a dash', () => {
    const long = authorLabel('😀'.repeat(MAX_NAME_CHARS + 5));
    expect([...long]).toHaveLength(MAX_NAME_CHARS);
    expect(long.endsWith('😀…')).toBe(true);
    expect(authorLabel('І'.repeat(MAX_NAME_CHARS))).toBe('І'.repeat(MAX_NAME_CHARS));
    expect(authorLabel('І'.repeat(MAX_NAME_CHARS + 1))).toBe(`${'І'.repeat(MAX_NAME_CHARS - 1)}…`);
    expect(authorLabel(null)).toBe('—');
    expect(authorLabel(' \n ')).toBe('—');
  });

  it('both ways the same conversion: mentions and files made plain under the author and company', () => {
    expect(attributed('Olena Kovalenko', 'a.1b.app', '[Іван Петренко#31], див. [file]5[/file]'))
      .toBe('Olena Kovalenko (a.1b.app): @Іван Петренко, див. [file in a.1b.app\'s box]');
    expect(attributed('Іван Петренко', 'Buyer B', '[Олена Коваленко#1], див. [file]9[/file]'))
      .toBe('Іван Петренко (Buyer B): @Олена Коваленко, див. [file in Buyer B\'s box]');
  });

  it('a mention in the author’s name is made plain too, and a company is kept on one line', () => {
    expect(attributed('[Boss#1]', 'Buyer\nB', 'hi')).toBe('@Boss (Buyer B): hi');
    expect(attributed('Ivan', '[Boss#1]', '[file]4[/file]')).toBe('Ivan (@Boss): [file in @Boss\'s box]');
  });
});
