import { describe, expect, it } from 'vitest';
import { OneBoxError, compareIds, normaliseBoxUrl, parseBoxDate } from '../../src/onebox/index.ts';
import { wireId } from '../../src/onebox/ids.ts';
import { redact } from '../../src/onebox/errors.ts';
import { CommentSchema, MAX_COMMENT_CHARS, parseList, parseWrittenId } from '../../src/onebox/schemas.ts';
import { MAX_ANSWER_BYTES, postJson } from '../../src/onebox/http.ts';
import { BoxThrottle } from '../../src/onebox/throttle.ts';

function urlError(input: string): OneBoxError {
  try {
    normaliseBoxUrl(input);
  } catch (error) {
    if (error instanceof OneBoxError) return error;
    throw error;
  }
  throw new Error(`accepted ${input}`);
}

describe('normaliseBoxUrl', () => {
  it('reduces what a user pastes to the origin', () => {
    expect(normaliseBoxUrl('https://a.1b.app')).toBe('https://a.1b.app');
    expect(normaliseBoxUrl('  https://A.1b.app/123/  ')).toBe('https://a.1b.app');
    expect(normaliseBoxUrl('a.1b.app')).toBe('https://a.1b.app');
    expect(normaliseBoxUrl('https://crm.example.com:8443/admin/customorder/x/5/edit/?q=1#c')).toBe('https://crm.example.com:8443');
    expect(normaliseBoxUrl('https://a.1b.app:443/')).toBe('https://a.1b.app');
  });

  it('accepts http:// only for loopback hosts', () => {
    expect(normaliseBoxUrl('http://127.0.0.1:5101/')).toBe('http://127.0.0.1:5101');
    expect(normaliseBoxUrl('http://127.1.2.3')).toBe('http://127.1.2.3');
    expect(normaliseBoxUrl('http://localhost:8080/x')).toBe('http://localhost:8080');
    expect(normaliseBoxUrl('http://[::1]:9000')).toBe('http://[::1]:9000');
    expect(urlError('http://a.1b.app').messageKey).toBe('error_insecure_url');
    expect(urlError('http://128.0.0.1').messageKey).toBe('error_insecure_url');
    expect(urlError('http://localhost.evil.example').messageKey).toBe('error_insecure_url');
  });

  it('refuses a wildcard, typed or percent-encoded: a permission asked is for exactly one origin', () => {
    for (const wild of ['https://*.com', '*.1b.app', 'https://%2A.example.com', 'https://a.%2a.app', 'https://a*b.example.com', 'http://*:5101']) {
      expect(urlError(wild).messageKey).toBe('error_bad_url');
    }
    expect(normaliseBoxUrl('https://xn--80ak6aa92e.com')).toBe('https://xn--80ak6aa92e.com');
    expect(normaliseBoxUrl('https://пример.com')).toBe('https://xn--e1afmkfd.com');
  });

  it('refuses junk as a config error without echoing the input', () => {
    for (const junk of ['', '   ', 'not a url', 'ftp://a.1b.app', 'javascript:alert(1)', 'https://', 'mybox', 'https://user:pw-secret@a.1b.app']) {
      const error = urlError(junk);
      expect(error.kind).toBe('config');
      expect(error.messageKey).toMatch(/^error_(bad|insecure)_url$/);
      expect(String(error)).not.toContain('pw-secret');
    }
  });
});

describe('box dates', () => {
  it('parses Y-m-d H:i:s as if UTC, for ordering', () => {
    expect(parseBoxDate('2026-11-28 12:00:00')).toBe(Date.UTC(2026, 10, 28, 12, 0, 0));
    expect(parseBoxDate('2026-11-28')).toBe(Date.UTC(2026, 10, 28));
    expect(parseBoxDate('2026-11-28 12:05')).toBe(Date.UTC(2026, 10, 28, 12, 5));
    expect(parseBoxDate('2026-11-28 12:00:01')! - parseBoxDate('2026-11-28 12:00:00')!).toBe(1000);
  });

  it('gives null for empty, zero and impossible dates', () => {
    for (const raw of [null, undefined, '', '0000-00-00 00:00:00', '2026-02-30 10:00:00', '2026-13-01', '28.11.2026', '2026-11-28 25:00:00']) {
      expect(parseBoxDate(raw)).toBeNull();
    }
  });
});

describe('ids', () => {
  it('order numerically, whatever their length', () => {
    expect(['1000', '999', '1001', '20'].sort(compareIds)).toEqual(['20', '999', '1000', '1001']);
    expect(compareIds('12345678901234567890', '12345678901234567891')).toBeLessThan(0);
    expect(compareIds('007', '7')).toBe(0);
  });

  it('go on the wire as numbers when plain integers', () => {
    expect(wireId('12')).toBe(12);
    expect(wireId('0')).toBe(0);
    expect(wireId('012')).toBe('012');
    expect(wireId('abc')).toBe('abc');
    expect(wireId('99999999999999999999')).toBe('99999999999999999999');
  });
});

describe('answer validation', () => {
  it('normalises ids given as numbers or strings and ignores unknown fields', () => {
    const [comment] = parseList(CommentSchema, [{ id: 1001, orderid: '101', content: 'Hi', clientvisible: 1, surprise: { x: 1 } }], 'comment/get');
    expect(comment).toMatchObject({ id: '1001', orderid: '101', content: 'Hi', clientvisible: true, cdate: null });
    expect(comment).not.toHaveProperty('surprise');
  });

  it('reads a list sent as an object keyed by id', () => {
    const list = parseList(CommentSchema, { '1002': { id: '1002', content: 'b' }, '1001': { id: '1001', content: 'a' } }, 'comment/get');
    expect(list.map((c) => c.id).sort()).toEqual(['1001', '1002']);
  });

  it('a missing required field or a wrong type is a protocol error naming the field', () => {
    const cases: unknown[] = [
      [{ content: 'no id' }],
      [{ id: '1', content: 5 }],
      [{ id: { n: 1 }, content: 'x' }],
      [{ id: '1', content: 'x', clientvisible: 'maybe' }],
      'not a list',
    ];
    for (const data of cases) {
      let caught: unknown;
      try {
        parseList(CommentSchema, data, 'comment/get');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(OneBoxError);
      expect((caught as OneBoxError).kind).toBe('protocol');
      expect((caught as OneBoxError).detail).toMatch(/^dataArray/);
    }
  });

  it('an id is a plain decimal number of at most 15 digits, or the answer is refused', () => {
    const ids = (id: unknown) => parseList(CommentSchema, [{ id, orderid: 101, content: 'x' }], 'comment/get')[0]!.id;
    expect(ids(' 1001 ')).toBe('1001');
    expect(ids(999_999_999_999_999)).toBe('999999999999999');
    expect(ids('0')).toBe('0');
    for (const bad of ['abc', '12a', '1e3', '0x1F', '1234567890123456', '-1', '007', '', 1.5, -1, 1e15, Number.NaN]) {
      expect(() => ids(bad), String(bad)).toThrow(OneBoxError);
    }
    const orderOf = (orderid: unknown) => parseList(CommentSchema, [{ id: 1, orderid, content: 'x' }], 'comment/get')[0]!.orderid;
    expect([orderOf(''), orderOf(0), orderOf(null), orderOf(' 101 ')]).toEqual([null, null, null, '101']);
    expect(() => orderOf('101; drop')).toThrow(OneBoxError);
  });

  it('a comment longer than any a person writes is refused', () => {
    expect(parseList(CommentSchema, [{ id: 1, content: 'ж'.repeat(MAX_COMMENT_CHARS) }], 'comment/get')).toHaveLength(1);
    expect(() => parseList(CommentSchema, [{ id: 1, content: 'ж'.repeat(MAX_COMMENT_CHARS + 1) }], 'comment/get')).toThrow(OneBoxError);
  });

  it('a write answer is the list of written ids', () => {
    expect(parseWrittenId([82806], 'order/set')).toBe('82806');
    expect(parseWrittenId({ 0: '82807' }, 'order/set')).toBe('82807');
    expect(() => parseWrittenId([], 'order/set')).toThrow(OneBoxError);
    expect(parseWrittenId(['82808', 'x'], 'order/set')).toBe('82808');
    expect(() => parseWrittenId(['x'], 'order/set')).toThrow(OneBoxError);
    expect(() => parseWrittenId([null], 'order/set')).toThrow(OneBoxError);
  });
});

describe('reading an answer', () => {
  const send = (answer: () => Response | Promise<Response>) => postJson(
    { origin: 'https://a.1b.app', fetch: async () => answer(), timeoutMs: 5_000, throttle: new BoxThrottle({ perSecond: 100, inFlight: 1 }) },
    'comment', 'get', {}, 'token',
  ).then(() => null, (error: OneBoxError) => error.messageKey);
  const streamOf = (chunks: number, chunkBytes: number, fail = false) => new ReadableStream<Uint8Array>({
    pull(controller) {
      if (chunks-- > 0) controller.enqueue(new Uint8Array(chunkBytes).fill(0x20));
      else if (fail) controller.error(new Error('connection reset'));
      else controller.close();
    },
  });

  it('refuses a body larger than the cap, declared or counted, without reading it all', async () => {
    expect(await send(() => new Response('[]', { headers: { 'content-length': String(MAX_ANSWER_BYTES + 1) } }))).toBe('error_answer_too_large');
    expect(await send(() => new Response(streamOf(17, 1024 * 1024)))).toBe('error_answer_too_large');
    expect(await send(() => new Response(streamOf(15, 1024 * 1024)))).toBeNull();
  });

  it('tells a connection lost before the answer from an answer cut off after its headers', async () => {
    expect(await send(() => Promise.reject(new TypeError('fetch failed')))).toBe('error_network');
    expect(await send(() => new Response(streamOf(1, 10, true)))).toBe('error_answer_cut');
  });
});

describe('redact', () => {
  it('replaces every occurrence of each secret', () => {
    expect(redact('a s3cret b s3cret', ['s3cret'])).toBe('a *** b ***');
  });
});

describe('throttle', () => {
  it('spaces starts by 1000/perSecond ms and caps requests in flight', async () => {
    const throttle = new BoxThrottle({ perSecond: 20, inFlight: 2 });
    const starts: number[] = [];
    let open = 0;
    let maxOpen = 0;
    const task = async () => {
      starts.push(Date.now());
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      await new Promise((resolve) => setTimeout(resolve, 120));
      open -= 1;
    };
    await Promise.all(Array.from({ length: 5 }, () => throttle.run(task)));
    expect(maxOpen).toBe(2);
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(49);
  });

  it('releases the slot when a task fails', async () => {
    const throttle = new BoxThrottle({ perSecond: 1000, inFlight: 1 });
    await expect(throttle.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(throttle.run(async () => 'ok')).resolves.toBe('ok');
  });
});
