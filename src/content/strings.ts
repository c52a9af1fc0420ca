import { KeyedError } from '../errors/keyed-error';
// The page's strings, in the user's language, as the background sent them with `page/hello`.
let strings: Record<string, string> = {};

export function setStrings(value: Record<string, string>): void {
  strings = value;
}

/** `$1`..`$9` are replaced by the arguments, as in the locale files. */
export function t(key: string, ...substitutions: string[]): string {
  const template = strings[key] ?? key;
  return template.replace(/\$(\d)/g, (whole, digit: string) => substitutions[Number(digit) - 1] ?? whole);
}

/**
 * A failed request as the page says it, in the user's language: the key the worker answered
 * with, or what went wrong on the way; never a raw exception.
 */
export function failureText(error: unknown, fallbackKey: string): string {
  return t(error instanceof KeyedError ? error.messageKey : fallbackKey);
}
