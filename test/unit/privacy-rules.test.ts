// The order of what decides an outbound comment (README "Private comments"), as a table.
import { describe, expect, it } from 'vitest';
import { decideOutbound, type ChoicesOnRecord } from '../../src/sync/comments';

const bound = (share: boolean, authorId?: string): ChoicesOnRecord['comment'] =>
  ({ kind: 'comment', key: 'k', localOrderId: '1', commentId: '9', share, at: 0, ...(authorId ? { authorId } : {}) });
const composer = (share: boolean): ChoicesOnRecord['composer'] => ({ kind: 'composer', key: 'p', localOrderId: '1', share, at: 0 });
const me = new Set(['1']);
const nobody = new Set<string>();
const on = { shareByDefault: true, onlyClientVisible: true };
const off = { shareByDefault: false, onlyClientVisible: false };

describe('decideOutbound', () => {
  it.each([
    // comment author, client-visible, on record, rules, decision
    ['1', false, { comment: bound(true, '1'), ownUsers: me }, on, 'share'],
    ['1', true, { comment: bound(false, '1'), composer: composer(true), ownUsers: me }, on, 'private'],
    ['2', true, { comment: bound(true, '1'), ownUsers: me }, on, 'private'],
    [null, true, { comment: bound(true, '1'), ownUsers: me }, on, 'share'],
    ['2', true, { ownUsers: me }, on, 'share'],
    ['2', false, { ownUsers: me }, on, 'filtered'],
    ['2', false, { ownUsers: me }, { ...on, onlyClientVisible: false }, 'share'],
    ['2', false, { composer: composer(false), ownUsers: me }, { ...on, onlyClientVisible: false }, 'share'],
    ['1', true, { composer: composer(false), ownUsers: me }, on, 'private'],
    ['1', true, { composer: composer(true), ownUsers: me }, off, 'share'],
    ['1', false, { composer: composer(true), ownUsers: me }, on, 'filtered'],
    ['1', true, { ownUsers: me }, off, 'private'],
    ['1', true, { ownUsers: me }, on, 'share'],
    // Nobody known as the page's user: every author is treated as possibly the user.
    ['2', true, { ownUsers: nobody }, off, 'private'],
    ['2', false, { ownUsers: nobody }, on, 'filtered'],
    [null, true, { ownUsers: me }, off, 'private'],
  ] as const)('author %s, client-visible %s, %o, %o → %s', (authorId, clientVisible, onRecord, rules, decision) => {
    expect(decideOutbound({ authorId, clientVisible }, onRecord as ChoicesOnRecord, rules)).toBe(decision);
  });
});
