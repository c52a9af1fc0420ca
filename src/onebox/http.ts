// One HTTP request to a box: throttled, with a timeout, never following redirects, and
// turning fetch's own failures into `transient` errors. Interpretation is in envelope.ts.
import { OneBoxError } from './errors.ts';
import type { RawAnswer } from './envelope.ts';
import { endpointUrl } from './url.ts';
import type { BoxThrottle } from './throttle.ts';

/**
 * More than any answer the sync asks for; a box that sends more is not answering our question,
 * and reading it all would only fill the worker's memory.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface HttpOptions {
  origin: string;
  fetch: typeof fetch;
  timeoutMs: number;
  throttle: BoxThrottle;
}

export function postJson(
  options: HttpOptions,
  entity: string,
  action: string,
  body: unknown,
  token: string | undefined,
): Promise<RawAnswer> {
  const endpoint = `${entity}/${action}`;
  return options.throttle.run(async () => {
    const controller = new AbortController();
    // The timeout starts when the request leaves the queue: waiting our turn is not the box's fault.
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (token !== undefined) headers['token'] = token;
      const response = await options.fetch(endpointUrl(options.origin, entity, action), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: controller.signal,
        // The API works by token; the user's box session cookie has no business here.
        credentials: 'omit',
        cache: 'no-store',
        // A redirect could carry the `token` header to another address: we stop and report it.
        redirect: 'manual',
      });
      // The box has answered from here on: a write it acknowledged with headers was done, even
      // if the body is cut off. A failure before this point may still reach the box later.
      const text = await readCapped(response, endpoint);
      return {
        httpStatus: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        text,
      };
    } catch (error) {
      if (error instanceof OneBoxError) throw error;
      // fetch's own error text says nothing a manager can use; the kind and key say it all.
      const timedOut = controller.signal.aborted;
      throw new OneBoxError({ kind: 'transient', messageKey: timedOut ? 'error_timeout' : 'error_network', endpoint });
    } finally {
      clearTimeout(timer);
    }
  });
}

/** The answer's body as text, refused beyond MAX_ANSWER_BYTES (declared or counted as it arrives). */
async function readCapped(response: Response, endpoint: string): Promise<string> {
  const tooLarge = () => new OneBoxError({ kind: 'protocol', messageKey: 'error_answer_too_large', endpoint, httpStatus: response.status });
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new OneBoxError({ kind: 'transient', messageKey: 'error_answer_cut', endpoint, httpStatus: response.status });
    }
    if (chunk.done) return text + decoder.decode();
    size += chunk.value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
}
