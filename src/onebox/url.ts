import { OneBoxError } from './errors.ts';

const ENDPOINT = 'box-url';

function junk(messageKey: 'error_bad_url' | 'error_insecure_url'): OneBoxError {
  // The input is never echoed back: a pasted URL may carry `user:password@`.
  return new OneBoxError({ kind: 'config', messageKey, endpoint: ENDPOINT });
}

/**
 * A host a match pattern names literally: DNS labels (an IDN arrives as punycode), an IPv4
 * address, or [::1]. Never a wildcard, typed or percent-encoded: `https://*.com/*` is "all sites".
 */
const LITERAL_HOST = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true;
  // WHATWG URL has already turned `127.1` and friends into dotted-quad form.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * A box address as the user typed or pasted it (`a.1b.app`, `https://a.1b.app/123/`, …) to its
 * origin, e.g. `https://a.1b.app`. A missing scheme means https; `http://` only for loopback
 * hosts (the sandbox, a local box); no credentials, no other schemes.
 */
export function normaliseBoxUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '' || /\s/.test(trimmed)) throw junk('error_bad_url');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw junk('error_bad_url');
  }
  if (url.username !== '' || url.password !== '') throw junk('error_bad_url');
  const host = url.hostname;
  if (host !== '[::1]' && !LITERAL_HOST.test(host)) throw junk('error_bad_url');
  if (url.protocol === 'http:') {
    if (!isLoopback(host)) throw junk('error_insecure_url');
  } else if (url.protocol !== 'https:') {
    throw junk('error_bad_url');
  }
  // A bare word ("mybox") is a typo, not a box: boxes live on a domain, or on loopback.
  if (!host.includes('.') && !host.startsWith('[') && host !== 'localhost') throw junk('error_bad_url');
  return url.origin;
}

/** `<origin>/api/v2/<entity>/<action>/`: the box answers only with the trailing slash. */
export function endpointUrl(origin: string, entity: string, action: string): string {
  return `${origin}/api/v2/${entity}/${action}/`;
}
