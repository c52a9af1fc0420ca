// @vitest-environment happy-dom
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANCHORS, anchorOf, commentIdOf, commentIdsIn, find, findAll, orderIdFromUrl, SELECTORS, viewerIdOf } from '../../src/page/selectors';

const fixturePath = (name: string) => resolve(import.meta.dirname, '../fixtures', name);
const fixture = (name: string) => {
  document.documentElement.innerHTML = readFileSync(fixturePath(name), 'utf8');
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

describe('every selector alternative', () => {
  const alternatives = Object.entries(SELECTORS).flatMap(([name, list]) =>
    list.map(([css, ...fixtures]): [string, string, readonly string[]] => [name, css, fixtures]));

  it.each(alternatives)('%s `%s` names the saved pages it is for, and matches on each', (_name, css, fixtures) => {
    expect(fixtures, 'no saved page names this alternative').not.toHaveLength(0);
    for (const name of fixtures) {
      expect(existsSync(fixturePath(name)), `${name} is not in test/fixtures`).toBe(true);
      expect(fixture(name).querySelector(css), `does not match on ${name}`).not.toBeNull();
    }
  });
});

describe('selectors on saved pages', () => {
  it('find the header, the comments with their ids and the composer on a 2016-engine page', () => {
    const page = fixture('order-page-2016.html');
    expect(find(page, 'orderHeader')?.className).toBe('ob-block-order-header');
    const items = findAll(page, 'commentItem');
    expect(items.map(commentIdOf)).toEqual(['501', '502']);
    expect(commentIdsIn(page)).toEqual(['501', '502']);
    expect(find(items[1]!, 'commentHead')?.textContent).toContain('Іван');
    expect(find(page, 'composer')).not.toBeNull();
    expect(find(find(page, 'composer')!, 'composerText')?.id).toBe('js-postcomment');
  });

  it('find the header, the comments, the viewer and the postcomment[] composer on the modern page', () => {
    const page = fixture('order-page-modern.html');
    expect(find(page, 'orderHeader')?.className).toBe('ob-order-header');
    expect(findAll(page, 'commentItem').map(commentIdOf)).toEqual(['1001', '1002', '1004']);
    expect(commentIdsIn(page)).toEqual(['1001', '1002', '1004']);
    expect(viewerIdOf(page)).toBe('1');
    expect(anchorOf(page, 'composer')?.getAttribute('name')).toBe('postcomment[]');
    expect(anchorOf(page, 'commentList')).toBe(find(page, 'commentList'));
  });

  it('find nothing to attach to on a page of unknown markup', () => {
    const page = fixture('order-page-bare.html');
    for (const anchor of ANCHORS) expect(anchorOf(page, anchor)).toBeNull();
  });

  it('take a composer block without a textarea we know for no composer', () => {
    document.body.innerHTML = '<div class="ob-comment-add"><div contenteditable="true"></div></div>';
    expect(find(document, 'composer')).not.toBeNull();
    expect(anchorOf(document, 'composer')).toBeNull();
  });
});
