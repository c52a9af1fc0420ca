// Which host permissions the settings need, and which granted ones they no longer need.
import type { Settings } from './types';

/** The origins of every box in the settings (own box first), each once. */
export function boxOrigins(settings: Settings): string[] {
  const urls = [...(settings.ownBox ? [settings.ownBox.url] : []), ...settings.partners.map((partner) => partner.boxUrl)];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

const PATTERN = /^(\*|https?):\/\/(\*|\*\.[^/:]+|[^/:*]+|\[[^\]]+\])(?::(\*|\d+))?\//;

/** Whether a granted match pattern (e.g. `http://127.0.0.1/*`, `https://*.1b.app/*`) covers an origin. */
export function patternCoversOrigin(pattern: string, origin: string): boolean {
  if (pattern === '<all_urls>') return true;
  const match = PATTERN.exec(pattern);
  if (!match) return false;
  const [, scheme, host = '', port] = match;
  const url = new URL(origin);
  const urlScheme = url.protocol.slice(0, -1);
  if (scheme !== '*' && scheme !== urlScheme) return false;
  if (scheme === '*' && urlScheme !== 'http' && urlScheme !== 'https') return false;
  if (port !== undefined && port !== '*' && port !== (url.port || (urlScheme === 'https' ? '443' : '80'))) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1));
  return url.hostname === host;
}

/**
 * Granted patterns to give back: those that cover none of the needed origins, leaving alone what
 * the manifest grants for good (its content script matches), which cannot be removed.
 */
export function grantsToRelease(granted: readonly string[], neededOrigins: readonly string[], fixed: readonly string[]): string[] {
  return granted.filter(
    (pattern) =>
      /^(\*|https?):/.test(pattern) &&
      !fixed.includes(pattern) &&
      !neededOrigins.some((origin) => patternCoversOrigin(pattern, origin)),
  );
}
