import { describe, expect, it } from 'vitest';
import { attributed, ownCompanyLabel, quietDelay, sameText } from '../../src/sync/comments';

describe('comment sync rules', () => {
  it('polls quiet links less and less often, up to 30 minutes, spread by ±15%', () => {
    expect(quietDelay(0, 0.5)).toBe(30_000);
    expect(quietDelay(1, 0.5)).toBe(60_000);
    expect(quietDelay(20, 0.5)).toBe(30 * 60_000);
    expect(quietDelay(0, 0)).toBe(25_500);
    expect(quietDelay(0, 1)).toBe(34_500);
  });

  it('matches a comment to its author’s choice whatever the box did to line ends and blanks', () => {
    expect(sameText('Line one\r\nline two  ', 'Line one\nline two')).toBe(true);
    expect(sameText('a  b', 'a b')).toBe(true);
    expect(sameText('Private', 'Private!')).toBe(false);
  });

  it('attributes a copy to its author and company, keeping the text as written', () => {
    expect(attributed('Ivan Petrenko', 'Buyer B', '<b>hi</b>\nthere')).toBe('Ivan Petrenko (Buyer B): <b>hi</b>\nthere');
    expect(attributed(null, 'Buyer B', 'x')).toBe('— (Buyer B): x');
  });

  it('names the own company as the settings say, else by the own box’s host', () => {
    const ownBox = { url: 'https://supplier-a.1b.app', login: 'olena', restApiPassword: 'x' };
    expect(ownCompanyLabel({ ...ownBox, companyName: 'Supplier A' })).toBe('Supplier A');
    expect(ownCompanyLabel({ ...ownBox, companyName: '  ' })).toBe('supplier-a.1b.app');
    expect(ownCompanyLabel(ownBox)).toBe('supplier-a.1b.app');
  });
});
