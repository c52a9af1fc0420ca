// What a comment's text becomes in the other company's box. The OneBox engine keeps a mention
// inside the text as `[Name#<user id>]` and an attachment as `[file]<file id>[/file]`
// (onebox-api.md, "comment content markup"). Those ids belong to the box they were made in:
// copied as they are, a mention would name, and may notify, whoever has that user id in the other
// box, and a file reference would show another file or none. So a copy says in plain text what
// the original showed: `@Name` for a mention, a short note for a file. Quotes (the engine's quote
// link writes `[quote]…[/quote]`) and everything else pass unchanged.
//
// The note is in English whatever the user's language: the reader is in the other box (the
// partner's staff, or the user's colleagues), whose language the sync cannot know, and a copy's
// text is fixed when it is queued, because reconciliation looks for exactly that text.

/**
 * A mention. The engine's own parser (of task titles) reads `\[(.+?)#(\d+)\]`; this takes what
 * it would take on one line, except that the name holds no `[`, so that a mention inside other
 * brackets is found on its own ("[see [Olena#5]]" becomes "[see @Olena]").
 */
const MENTION = /\[([^[\r\n]+?)#\d+\]/g;
/** An attachment, by its id in the box it was uploaded to. */
const FILE = /\[file\]\d+\[\/file\]/gi;
/** What breaks a line, or reorders the text around it, when a box shows the text. */
const LINE_BREAKERS = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/gu;
/** Longer than any person's name; a longer one is cut, so that it cannot push the text away. */
export const MAX_NAME_CHARS = 100;

/** The comment's text with its mentions and file references made plain. */
export function crossBoxText(text: string, sourceCompany: string): string {
  // Files first, so that the mention pass sees the notes too (a company named "[Boss#1]").
  let plain = text.replace(FILE, () => `[file in ${sourceCompany}'s box]`);
  // Again until none is left: taking one out can close another around it ("[[a#1]#2]").
  let before: string;
  do {
    before = plain;
    plain = plain.replace(MENTION, (_mention, name: string) => `@${name.trim()}`);
  } while (plain !== before);
  return plain;
}

/** The text on one line: line breaks and control characters become spaces, blanks collapse. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKERS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * An author's name as it heads a copy: on one line, so that a name holding a line break cannot
 * fake a second attribution line, and cut to `MAX_NAME_CHARS`; a dash when the box gave none.
 */
export function authorLabel(name: string | null): string {
  const chars = [...oneLine(name ?? '')];
  if (chars.length === 0) return '—';
  if (chars.length <= MAX_NAME_CHARS) return chars.join('');
  return `${chars.slice(0, MAX_NAME_CHARS - 1).join('').trimEnd()}…`;
}
