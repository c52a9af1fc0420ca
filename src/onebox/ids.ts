// Ids are strings everywhere in our code. Two decisions about them live here.

/**
 * Decision: on the wire, an id that is a plain decimal integer goes as a JSON number, as the
 * public clients send it (`"workflowid":[12]`, `"orderid":123`); anything else goes as text.
 */
export function wireId(id: string): number | string {
  return /^(0|[1-9]\d{0,14})$/.test(id) ? Number(id) : id;
}

/**
 * Decision: ids order numerically ("999" before "1000"), compared as digit strings so that
 * any length works; non-numeric ids (not seen on a box) sort after numeric ones, as text.
 */
export function compareIds(a: string, b: string): number {
  const numA = /^\d+$/.test(a);
  const numB = /^\d+$/.test(b);
  if (numA && numB) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (numA !== numB) return numA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
