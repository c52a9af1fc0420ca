// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentIdOf, find, findAll, orderIdFromUrl } from '../../src/page/selectors';

const fixture = (name: string) => {
  document.documentElement.innerHTML = readFileSync(resolve(import.meta.dirname, '../fixtures', name), 'utf8');
  return document;
};

describe('order page addresses', () => {
  it.each([
    ['https://a.1b.app/4711/', '4711'],
    ['https://a.1b.app/4711', '4711'],
    ['https://a.crm-onebox.com/admin/shop/orders/15/', '15'],
    ['https://crm.example.com/admin/customorder/orders/99/edit/', '99'],
    ['https://crm.example.com/admin/customorder/tasks/7/edit/?tab=2#c', '7'],
    ['http://127.0.0.1:5101/101/', '101'],
  ])('%s is order %s', (url, id) => {
    expect(orderIdFromUrl(url)).toBe(id);
  });

  it.each([
    'https://a.1b.app/',
    'https://a.1b.app/admin/shop/orders/',
    'https://a.1b.app/4711/edit/',
    'https://a.1b.app/abc/',
    'https://a.1b.app/admin/customorder/orders/99/',
    'https://a.1b.app/admin/shop/orders/15/comments/',
    'not a url',
  ])('%s is not an order page', (url) => {
    expect(orderIdFromUrl(url)).toBeNull();
  });
});

describe('selectors on saved pages', () => {
  it('find the header, the comments with their ids and the composer on a 2016-engine page', () => {
    const page = fixture('order-page-2016.html');
    expect(find(page, 'orderHeader')?.className).toBe('ob-block-order-header');
    const items = findAll(page, 'commentItem');
    expect(items.map(commentIdOf)).toEqual(['501', '502']);
    expect(find(items[1]!, 'commentHead')?.textContent).toContain('Іван');
    expect(find(page, 'composer')).not.toBeNull();
    expect(find(find(page, 'composer')!, 'composerText')?.id).toBe('js-postcomment');
  });

  it('find nothing to attach to on a page of unknown markup', () => {
    const page = fixture('order-page-bare.html');
    for (const name of ['orderHeader', 'commentList', 'composer'] as const) expect(find(page, name)).toBeNull();
  });
});
