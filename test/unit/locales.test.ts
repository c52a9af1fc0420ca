// The translations are complete and every user-visible string goes through them:
// - en, uk and ru have the same keys, none empty, with the same `$1`..`$9` substitutions;
// - every key is used: it appears in src/ as a quoted literal (`t('page_send')`,
//   `messageKey: 'error_auth'`, a label map...) or in the manifest as `__MSG_key__`;
// - every key-like literal in src/ (`error_*`, `page_*`, ...) and every `__MSG_*__` exists;
// - no user-visible text is written around i18n: JSX text, visible JSX attributes, the content
//   script's `h(tag, attrs, 'text')`, `textContent = 'text'`, `setAttribute('title', 'text')`,
//   `confirm('text')`, visible text in the extension's HTML pages.
// Source files are read with the TypeScript parser, so strings, comments and JSX are told apart
// exactly rather than guessed with regular expressions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const LOCALES = ['en', 'uk', 'ru'] as const;
type Locale = (typeof LOCALES)[number];
type Messages = Record<string, { message?: unknown; description?: unknown; placeholders?: unknown }>;

/**
 * Keys that are used although no literal names them (built at run time from a prefix and a
 * value). Each entry says where it is built. Keep this list short: a literal is always better.
 */
const USED_BY_CONSTRUCTION: Readonly<Record<string, string>> = {};

const messages = Object.fromEntries(
  LOCALES.map((locale) => [locale, JSON.parse(readFileSync(join(ROOT, 'public/_locales', locale, 'messages.json'), 'utf8')) as Messages]),
) as Record<Locale, Messages>;
const enKeys = Object.keys(messages.en);
const text = (locale: Locale, key: string): string => {
  const value = messages[locale][key]?.message;
  return typeof value === 'string' ? value : '';
};

/**
 * Keys whose message is the same in every language on purpose: the product's name, and each
 * language's own name in the language picker. Any other message with words is translated.
 */
const SAME_IN_EVERY_LANGUAGE = new Set(['actionTitle', 'popup_title', 'page_panel_title', 'options_language_en', 'options_language_uk', 'options_language_ru']);

/** Those names are not a bypass when written in code (e.g. an HTML page's `<title>`). */
const untranslatedNames = new Set([...SAME_IN_EVERY_LANGUAGE].map((key) => text('en', key)).filter(Boolean));

// Key-like literals: the prefixes the locale files use (`error_x` -> `error`).
const PREFIXES = [...new Set(enKeys.filter((k) => /^[a-z]+_/.test(k)).map((k) => k.split('_')[0]!))];
const KEY_LIKE = new RegExp(`^(?:${PREFIXES.join('|')})_[a-z0-9_]*[a-z0-9]$`);
const HAS_LETTER = /\p{L}/u;

function filesUnder(dir: string, extensions: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, extensions));
    else if (extensions.some((ext) => entry.endsWith(ext))) out.push(path);
  }
  return out;
}

const sourceFiles = filesUnder(SRC, ['.ts', '.tsx']).filter((f) => !f.endsWith('.d.ts'));
const htmlFiles = filesUnder(SRC, ['.html']);
const manifestText = readFileSync(join(ROOT, 'manifest.json'), 'utf8');

interface Literal {
  file: string;
  line: number;
  value: string;
  node: ts.Node;
}

function parse(file: string): ts.SourceFile {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
}
const parsed = sourceFiles.map(parse);

const where = (sf: ts.SourceFile, node: ts.Node) => `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;

/** Every string literal (and template text) in the sources, with its place. */
function literals(): Literal[] {
  const out: Literal[] = [];
  for (const sf of parsed) {
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        out.push({ file: sf.fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, value: node.text, node });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
const allLiterals = literals();

/** The letters-bearing text a string expression writes, if it is a literal (or a template's fixed parts). */
function literalText(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isParenthesizedExpression(node)) return literalText(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  if (ts.isConditionalExpression(node)) return [literalText(node.whenTrue), literalText(node.whenFalse)].filter(Boolean).join(' ') || undefined;
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [literalText(node.left), literalText(node.right)].filter(Boolean).join(' ') || undefined;
  }
  return undefined;
}

/** Hard-coded text a person would read: letters, and not one of the product's untranslated names. */
function isHardCodedText(value: string | undefined): value is string {
  if (value === undefined) return false;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return HAS_LETTER.test(trimmed) && !untranslatedNames.has(trimmed);
}

// Attributes and properties whose text a person reads (or hears, through a screen reader).
const VISIBLE_ATTRIBUTES = new Set(['title', 'placeholder', 'alt', 'label', 'aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext']);
// Text props of our own Preact components, which end up as one of the above or as text.
const VISIBLE_COMPONENT_PROPS = new Set([...VISIBLE_ATTRIBUTES, 'hint', 'text', 'caption', 'summary', 'message', 'description']);
const VISIBLE_PROPERTIES = new Set(['textContent', 'innerText', 'title', 'placeholder', 'alt', 'ariaLabel', 'ariaDescription', 'ariaPlaceholder', 'ariaRoleDescription', 'ariaValueText']);
const DIALOGS = new Set(['alert', 'confirm', 'prompt']);

/** Every place where source code writes user-visible text without going through a message. */
function bypasses(): string[] {
  const found: string[] = [];
  for (const sf of parsed) {
    const report = (node: ts.Node, what: string, value: string) => found.push(`${where(sf, node)}: ${what} "${value.trim()}"`);
    const visit = (node: ts.Node): void => {
      // <p>Some text</p>
      if (ts.isJsxText(node) && isHardCodedText(node.text)) report(node, 'JSX text', node.text);
      // <input placeholder="Some text" /> and <Field hint="Some text" />, also hint={'Some text'}
      if (ts.isJsxAttribute(node)) {
        const name = node.name.getText(sf);
        const tag = node.parent.parent;
        const component = (ts.isJsxOpeningElement(tag) || ts.isJsxSelfClosingElement(tag)) && /^[A-Z]/.test(tag.tagName.getText(sf));
        const init = node.initializer;
        const value = init && ts.isJsxExpression(init) ? literalText(init.expression) : literalText(init);
        if ((component ? VISIBLE_COMPONENT_PROPS : VISIBLE_ATTRIBUTES).has(name) && isHardCodedText(value)) report(node, `JSX ${name}=`, value);
      }
      // element.textContent = 'Some text'
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
        const value = literalText(node.right);
        if (VISIBLE_PROPERTIES.has(node.left.name.text) && isHardCodedText(value)) report(node, `.${node.left.name.text} =`, value);
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        const [first, second] = node.arguments;
        // h('span', { title: 'Some text' }, 'Some text'): the content script's element helper
        if (name === 'h' && ts.isIdentifier(callee)) {
          node.arguments.slice(2).forEach((child) => {
            const value = literalText(child);
            if (isHardCodedText(value)) report(child, 'h() child', value);
          });
          if (second && ts.isObjectLiteralExpression(second)) {
            for (const prop of second.properties) {
              if (!ts.isPropertyAssignment(prop)) continue;
              const key = ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name) ? prop.name.text : '';
              const value = literalText(prop.initializer);
              if (VISIBLE_ATTRIBUTES.has(key) && isHardCodedText(value)) report(prop, `h() ${key}:`, value);
            }
          }
        }
        // element.setAttribute('aria-label', 'Some text')
        if (name === 'setAttribute' && VISIBLE_ATTRIBUTES.has(literalText(first) ?? '') && isHardCodedText(literalText(second))) {
          report(node, `setAttribute(${literalText(first)})`, literalText(second)!);
        }
        // document.createTextNode('Some text'), element.append('Some text')
        if (['createTextNode', 'append', 'prepend', 'replaceChildren'].includes(name) && ts.isPropertyAccessExpression(callee)) {
          node.arguments.forEach((arg) => {
            const value = literalText(arg);
            if (isHardCodedText(value)) report(arg, `${name}()`, value);
          });
        }
        // confirm('Some text')
        if (DIALOGS.has(name) && (ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && callee.expression.getText(sf) === 'window'))) {
          const value = literalText(first);
          if (isHardCodedText(value)) report(node, `${name}()`, value);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  // The extension's own HTML pages: text outside scripts and styles.
  for (const file of htmlFiles) {
    const html = readFileSync(file, 'utf8').replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '').replace(/<!--[\s\S]*?-->/g, '');
    for (const match of html.matchAll(/>([^<]+)</g)) {
      if (isHardCodedText(match[1])) found.push(`${relative(ROOT, file)}: HTML text "${match[1]!.trim()}"`);
    }
    for (const match of html.matchAll(/\s(title|placeholder|alt|aria-label)="([^"]*)"/gi)) {
      if (isHardCodedText(match[2])) found.push(`${relative(ROOT, file)}: HTML ${match[1]}="${match[2]}"`);
    }
  }
  return found;
}

const substitutions = (message: string) => [...new Set(message.match(/\$[1-9]/g) ?? [])].sort();

describe('locale files', () => {
  it('have the same keys in en, uk and ru', () => {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      for (const key of enKeys) if (!Object.hasOwn(messages[locale], key)) problems.push(`${locale}: missing "${key}"`);
      for (const key of Object.keys(messages[locale])) if (!Object.hasOwn(messages.en, key)) problems.push(`${locale}: "${key}" is not in en`);
    }
    expect(problems).toEqual([]);
  });

  it('have a non-empty message for every key, with the same substitutions as en', () => {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      for (const key of Object.keys(messages[locale])) {
        const message = text(locale, key);
        if (!message.trim()) problems.push(`${locale}: "${key}" has no message`);
        else if (substitutions(message).join() !== substitutions(text('en', key)).join()) {
          problems.push(`${locale}: "${key}" has ${substitutions(message).join(',') || 'no substitutions'}, en ${substitutions(text('en', key)).join(',') || 'none'}`);
        }
        // Chrome reads `$word$` as a named placeholder, which these files do not declare.
        if (/\$[A-Za-z_]\w*\$/.test(message)) problems.push(`${locale}: "${key}" has an undeclared $placeholder$`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('are translated: uk and ru messages are in their language, not copies of en', () => {
    const problems: string[] = [];
    for (const key of enKeys) {
      const en = text('en', key);
      const uk = text('uk', key);
      const ru = text('ru', key);
      if (SAME_IN_EVERY_LANGUAGE.has(key)) {
        if (uk !== en || ru !== en) problems.push(`"${key}" is listed as the same in every language but is not`);
        continue;
      }
      if (HAS_LETTER.test(en) && uk === en) problems.push(`uk: "${key}" is the English text`);
      if (HAS_LETTER.test(en) && ru === en) problems.push(`ru: "${key}" is the English text`);
      // Letters one of the two languages has and the other does not: catches a swapped file.
      if (/[ыэъёЫЭЪЁ]/.test(uk)) problems.push(`uk: "${key}" has Russian letters: ${uk}`);
      if (/[іїєґІЇЄҐ]/.test(ru)) problems.push(`ru: "${key}" has Ukrainian letters: ${ru}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('message keys in the code', () => {
  const quoted = new Set(allLiterals.map((l) => l.value));
  const inManifest = new Set([...manifestText.matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!));
  const inHtml = new Set(htmlFiles.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!)));

  it('uses every key (as a quoted literal in src/, or __MSG_key__ in the manifest)', () => {
    const unused = enKeys.filter((key) => !quoted.has(key) && !inManifest.has(key) && !inHtml.has(key) && !Object.hasOwn(USED_BY_CONSTRUCTION, key));
    expect(unused).toEqual([]);
  });

  it('keeps the list of keys used by construction honest (each still exists, none is also a literal)', () => {
    const stale = Object.keys(USED_BY_CONSTRUCTION).filter((key) => !Object.hasOwn(messages.en, key) || quoted.has(key));
    expect(stale).toEqual([]);
  });

  it('names no key that the locale files lack', () => {
    const missing = [
      ...allLiterals.filter((l) => KEY_LIKE.test(l.value) && !Object.hasOwn(messages.en, l.value)).map((l) => `${relative(ROOT, l.file)}:${l.line}: "${l.value}"`),
      ...[...inManifest, ...inHtml].filter((key) => !Object.hasOwn(messages.en, key)).map((key) => `__MSG_${key}__`),
    ];
    expect(missing).toEqual([]);
  });

  it('writes no user-visible text around i18n', () => {
    expect(bypasses()).toEqual([]);
  });

  it('sees a bypass when there is one (the checks above are not blind)', () => {
    const sample = ts.createSourceFile(
      join(ROOT, 'sample.tsx'),
      `const a = <p title="Hello there">Some words {t('x')}</p>;
       el.textContent = 'Plain text';
       h('span', { 'aria-label': 'Close it' }, 'Click me', t('y'));
       el.textContent = t('page_send');
       const b = <p>{t('x')} · 3</p>;`,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TSX,
    );
    parsed.push(sample);
    try {
      const found = bypasses().filter((line) => line.startsWith('sample.tsx'));
      expect(found.map((line) => line.replace(/^sample\.tsx:\d+: /, ''))).toEqual([
        'JSX title= "Hello there"',
        'JSX text "Some words"',
        '.textContent = "Plain text"',
        'h() child "Click me"',
        'h() aria-label: "Close it"',
      ]);
    } finally {
      parsed.pop();
    }
  });
});

describe('the README user guide', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const heading = '\n### Error messages and what to do\n';
  const start = readme.indexOf(heading);
  const rest = start < 0 ? '' : readme.slice(start + heading.length);
  const next = rest.search(/^#{1,3} /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const rows = new Map(
    [...section.matchAll(/^\| (.+?) \| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[2]!, { message: m[1]!, todo: m[3]! }]),
  );

  it('explains every error message, as the en locale says it, and what to do', () => {
    expect(section, 'README.md has no "### Error messages and what to do"').not.toBe('');
    const problems = enKeys
      .filter((key) => key.startsWith('error_'))
      .flatMap((key) => {
        const row = rows.get(key);
        if (!row) return [`${key}: no row`];
        return row.message === text('en', key) ? [] : [`${key}: the row says "${row.message}", en says "${text('en', key)}"`];
      });
    expect(problems).toEqual([]);
    for (const key of rows.keys()) expect(Object.hasOwn(messages.en, key), `README row for unknown key ${key}`).toBe(true);
  });
});
