import { describe, expect, it } from 'vitest';
import { configMessageKey, interpretAnswer, normaliseErrorArray, parseRetryAfter, type RawAnswer } from '../../src/onebox/envelope.ts';
import { OneBoxError } from '../../src/onebox/errors.ts';
import { translate, LANGUAGES } from '../../src/i18n/index.ts';

const json = (value: unknown, httpStatus = 200, extra: Partial<RawAnswer> = {}): RawAnswer => ({
  httpStatus,
  contentType: 'application/json',
  retryAfter: null,
  text: JSON.stringify(value),
  ...extra,
});
const context = { endpoint: 'order/get', secrets: ['hunter2-password', 'tok-123456'] };

function failure(raw: RawAnswer, ctx: Parameters<typeof interpretAnswer>[1] = context): OneBoxError {
  try {
    interpretAnswer(raw, ctx);
  } catch (error) {
    if (error instanceof OneBoxError) return error;
    throw error;
  }
  throw new Error('expected an OneBoxError');
}

describe('envelope parsing', () => {
  it('returns dataArray on status 1, as a number, a string or true', () => {
    expect(interpretAnswer(json({ status: 1, dataArray: [1, 2] }), context)).toEqual({ kind: 'data', data: [1, 2] });
    expect(interpretAnswer(json({ status: '1', dataArray: { token: 't' } }), context)).toEqual({ kind: 'data', data: { token: 't' } });
    expect(interpretAnswer(json({ status: true, dataArray: [], extra: 'ignored' }), context)).toEqual({ kind: 'data', data: [] });
  });

  it('treats a success without dataArray as a protocol error', () => {
    const error = failure(json({ status: 1 }));
    expect(error.kind).toBe('protocol');
    expect(error.messageKey).toBe('error_protocol');
  });

  it('reads errorArray as a list, an object of keyed strings, or nested', () => {
    expect(normaliseErrorArray(['a', ' b ', ''])).toEqual(['a', 'b']);
    expect(normaliseErrorArray({ statusid: 'Unknown status', x: ['y', 3] })).toEqual(['Unknown status', 'y', '3']);
    expect(normaliseErrorArray('one')).toEqual(['one']);
    expect(normaliseErrorArray(null)).toEqual([]);
    expect(normaliseErrorArray(undefined)).toEqual([]);
  });

  it('keeps the box text of a refusal, list or object alike', () => {
    expect(failure(json({ status: 0, errorArray: ['Name is required'] }, 400)).detail).toBe('Name is required');
    const keyed = failure(json({ status: 0, errorArray: { name: 'Too long', description: 'Bad' } }, 200));
    expect(keyed.kind).toBe('config');
    expect(keyed.detail).toBe('Too long; Bad');
    expect(keyed.httpStatus).toBe(200);
  });

  it('a status other than 1 with no errorArray is still a refusal', () => {
    const error = failure(json({ status: 0 }, 400));
    expect(error.kind).toBe('config');
    expect(error.detail).toBeUndefined();
  });
});

describe('error classification', () => {
  it('token in header not found (HTTP 400) asks for a new token', () => {
    const outcome = interpretAnswer(json({ status: 0, errorArray: ['token in header not found'] }, 400), context);
    expect(outcome).toEqual({ kind: 'token-rejected', boxMessage: 'token in header not found' });
  });

  it('HTTP 401 and 403 ask for a new token whatever the body', () => {
    expect(interpretAnswer(json({ status: 0, errorArray: ['Forbidden'] }, 403), context).kind).toBe('token-rejected');
    expect(interpretAnswer({ httpStatus: 401, contentType: 'text/html', retryAfter: null, text: '<html>no</html>' }, context).kind).toBe('token-rejected');
    expect(interpretAnswer({ httpStatus: 401, contentType: null, retryAfter: null, text: '' }, context).kind).toBe('token-rejected');
  });

  it('on token/get any refusal is auth: a wrong login or password', () => {
    const error = failure(json({ status: 0, errorArray: ['Invalid login or password'] }, 400), { ...context, endpoint: 'token/get', tokenCall: true });
    expect(error.kind).toBe('auth');
    expect(error.messageKey).toBe('error_auth');
    expect(error.endpoint).toBe('token/get');
    expect(error.detail).toBe('Invalid login or password');
  });

  it('recognises the keyed-writes refusal', () => {
    const outcome = interpretAnswer(json({ status: 0, errorArray: ['Відсутня перший елемент масиву процесів'] }, 400), { ...context, endpoint: 'order/set' });
    expect(outcome.kind).toBe('keyed-needed');
  });

  it('names the refused field when errorArray is keyed by it', () => {
    expect(failure(json({ status: 0, errorArray: { workflowid: 'Unknown workflow' } }, 400)).messageKey).toBe('error_unknown_workflow');
    expect(failure(json({ status: 0, errorArray: { statusid: 'Unknown status' } }, 400)).messageKey).toBe('error_unknown_status');
    expect(failure(json({ status: 0, errorArray: { managerid: 'Unknown employee 9' } }, 400)).messageKey).toBe('error_unknown_employee');
    expect(failure(json({ status: 0, errorArray: { customfields: 'Unknown field x' } }, 400)).messageKey).toBe('error_unknown_field');
    expect(configMessageKey({ customorder_budget: 'bad' })).toBe('error_unknown_field');
    expect(configMessageKey(['Unknown workflow'])).toBe('error_config');
  });

  it('5xx is transient, with the box text of an envelope or the title of an HTML page', () => {
    const envelope = failure(json({ status: 0, errorArray: ['DB is down'] }, 503));
    expect(envelope.kind).toBe('transient');
    expect(envelope.messageKey).toBe('error_box_down');
    expect(envelope.detail).toBe('DB is down');
    expect(envelope.httpStatus).toBe(503);
    const html = failure({ httpStatus: 502, contentType: 'text/html', retryAfter: '7', text: '<html><title>502 Bad Gateway</title></html>' });
    expect(html.kind).toBe('transient');
    expect(html.detail).toBe('502 Bad Gateway');
    expect(html.retryAfterMs).toBe(7000);
  });

  it('429 is transient and carries Retry-After, in seconds or as a date', () => {
    const error = failure(json({}, 429, { retryAfter: '2' }));
    expect(error.kind).toBe('transient');
    expect(error.messageKey).toBe('error_rate_limited');
    expect(error.retryAfterMs).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('an HTML page, an empty body, not-JSON and a missing status are protocol errors', () => {
    const html = failure({ httpStatus: 200, contentType: 'text/html; charset=utf-8', retryAfter: null, text: '<!doctype html><title>Login</title>' });
    expect([html.kind, html.messageKey, html.detail]).toEqual(['protocol', 'error_html_page', 'Login']);
    const htmlNoType = failure({ httpStatus: 404, contentType: null, retryAfter: null, text: '  <html>Not found</html>' });
    expect([htmlNoType.kind, htmlNoType.messageKey]).toEqual(['protocol', 'error_html_page']);
    const empty = failure({ httpStatus: 200, contentType: 'application/json', retryAfter: null, text: '' });
    expect([empty.kind, empty.messageKey]).toEqual(['protocol', 'error_empty_answer']);
    const notJson = failure({ httpStatus: 200, contentType: 'application/json', retryAfter: null, text: '{"status":1,' });
    expect([notJson.kind, notJson.messageKey]).toEqual(['protocol', 'error_protocol']);
    const noStatus = failure(json({ dataArray: [] }));
    expect(noStatus.kind).toBe('protocol');
    const wrongStatus = failure(json({ status: { ok: true }, dataArray: [] }));
    expect(wrongStatus.kind).toBe('protocol');
    const array = failure(json([1, 2]));
    expect(array.kind).toBe('protocol');
  });

  it('redirects are not followed and are reported as protocol errors', () => {
    expect(failure({ httpStatus: 302, contentType: null, retryAfter: null, text: '' }).kind).toBe('protocol');
    expect(failure({ httpStatus: 0, contentType: null, retryAfter: null, text: '' }).kind).toBe('protocol');
  });

  it('removes the password and token from the box text', () => {
    const error = failure(json({ status: 0, errorArray: ['bad token tok-123456 for password hunter2-password'] }, 400), {
      ...context,
      endpoint: 'token/get',
      tokenCall: true,
    });
    expect(error.detail).toBe('bad token *** for password ***');
    expect(String(error)).not.toContain('hunter2-password');
    expect(error.message).not.toContain('tok-123456');
  });

  it('cuts a very long box text', () => {
    const error = failure(json({ status: 0, errorArray: ['x'.repeat(5000)] }, 400));
    expect(error.detail?.length).toBeLessThanOrEqual(501);
  });
});

describe('a box out of licensed sessions', () => {
  const token = { ...context, endpoint: 'token/get', tokenCall: true };
  it('is told apart from a wrong password, and retried by itself', () => {
    for (const text of ['Перевищено кількість ліцензій', 'Все сеансы заняты', 'No free session for API users', 'License limit reached']) {
      expect([failure(json({ status: 0, errorArray: [text] }, 400), token).kind, failure(json({ status: 0, errorArray: [text] }, 400), token).messageKey], text)
        .toEqual(['transient', 'error_sessions_full']);
      expect(failure(json({ status: 0, errorArray: [text] }, 403)).messageKey).toBe('error_sessions_full');
    }
    expect(failure(json({ status: 0, errorArray: ['Invalid login or password'] }, 400), token).messageKey).toBe('error_auth');
  });
});

describe('message keys', () => {
  const keys = [
    'error_auth', 'error_token_rejected', 'error_config', 'error_bad_url', 'error_insecure_url', 'error_unknown_workflow',
    'error_unknown_status', 'error_unknown_employee', 'error_unknown_field', 'error_contact_needs_key',
    'error_sessions_full', 'error_timeout', 'error_network', 'error_answer_cut', 'error_answer_too_large', 'error_box_down', 'error_rate_limited', 'error_protocol', 'error_html_page',
    'error_empty_answer', 'error_probe_skipped',
  ] as const;
  it('every error key is translated in en, uk and ru, and the translations differ from English', () => {
    for (const key of keys) {
      const en = translate('en', key);
      expect(en).not.toBe(key);
      for (const language of LANGUAGES) {
        const text = translate(language, key);
        expect(text, `${language} ${key}`).not.toBe(key);
        if (language !== 'en') expect(text, `${language} ${key}`).not.toBe(en);
      }
    }
  });
});
