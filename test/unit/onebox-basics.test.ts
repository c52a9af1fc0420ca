import { describe, expect, it } from 'vitest';
import { OneBoxError, compareIds, normaliseBoxUrl, parseBoxDate } from '../../src/onebox/index.ts';
import { wireId } from '../../src/onebox/ids.ts';
import { redact } from '../../src/onebox/errors.ts';
import { CommentSchema, parseList, parseWrittenId } from '../../src/onebox/schemas.ts';
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

  it('a write answer is the list of written ids', () => {
    expect(parseWrittenId([82806], 'order/set')).toBe('82806');
    expect(parseWrittenId({ 0: '82807' }, 'order/set')).toBe('82807');
    expect(() => parseWrittenId([], 'order/set')).toThrow(OneBoxError);
    expect(() => parseWrittenId(['x', 1], 'order/set')).not.toThrow();
    expect(() => parseWrittenId([null], 'order/set')).toThrow(OneBoxError);
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
