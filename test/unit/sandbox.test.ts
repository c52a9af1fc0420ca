// The sandbox box, over real HTTP on 127.0.0.1: every endpoint, quirk and fault switch.
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, Window } from 'happy-dom';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';

interface Envelope {
  status: number;
  dataArray?: unknown;
  errorArray?: unknown;
}
type Row = Record<string, unknown>;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Envelope;
}

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox();
});
afterEach(async () => {
  await sb.close();
});

const parser = new Window();
afterAll(async () => {
  await parser.happyDOM.close();
});
type ParsedDocument = ReturnType<InstanceType<Window['DOMParser']>['parseFromString']>;
function parse(html: string): ParsedDocument {
  return new parser.DOMParser().parseFromString(html, 'text/html');
}

async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(sb.url + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let json: Envelope = { status: -1 };
  try {
    json = JSON.parse(text) as Envelope;
  } catch {
    // not JSON: tests look at `text`
  }
  return { status: res.status, headers: res.headers, text, json };
}

function api(entity: string, action: string, body: unknown, token?: string): Promise<Answer> {
  return post(`/api/v2/${entity}/${action}/`, JSON.stringify(body), token === undefined ? {} : { token });
}

async function login(name = 'olena', password = `${name === 'partner-sync' ? 'sync' : name}-secret`): Promise<string> {
  const answer = await api('token', 'get', { login: name, restapipassword: password });
  expect(answer.status).toBe(200);
  const data = answer.json.dataArray as { token: string };
  return data.token;
}

function rows(answer: Answer): Row[] {
  expect(answer.status).toBe(200);
  expect(answer.json.status).toBe(1);
  expect(Array.isArray(answer.json.dataArray)).toBe(true);
  return answer.json.dataArray as Row[];
}

function expectError(answer: Answer, errors: unknown): void {
  expect(answer.status).toBe(400);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(answer.json).toEqual({ status: 0, errorArray: errors });
}

function expectNoCors(headers: Headers): void {
  for (const [name] of headers) expect(name.toLowerCase()).not.toMatch(/^access-control-/);
}

const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('transport and token', () => {
  it('token/get issues a token for a right login and password', async () => {
    const answer = await api('token', 'get', { login: 'partner-sync', restapipassword: 'sync-secret' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.json.status).toBe(1);
    expect((answer.json.dataArray as { token: unknown }).token).toMatch(/^[0-9a-f]{32}$/);
    expect(sb.log.at(-1)).toMatchObject({ entity: 'token', action: 'get', tokenOk: true });
  });

  it('token/get refuses a wrong password or an unknown login, and the log hides passwords', async () => {
    expectError(await api('token', 'get', { login: 'olena', restapipassword: 'nope' }), ['Invalid login or restapipassword']);
    expectError(await api('token', 'get', { login: 'ghost', restapipassword: 'olena-secret' }), ['Invalid login or restapipassword']);
    expectError(await api('token', 'get', {}), ['Invalid login or restapipassword']);
    expect(sb.log).toHaveLength(3);
    expect(sb.log[0]).toMatchObject({ tokenOk: false, body: { login: 'olena', restapipassword: '***' } });
    expect(JSON.stringify(sb.log)).not.toContain('nope');
  });

  it('calls without a token, with an unknown one, or with one in another header are refused', async () => {
    const expected = { status: 0, errorArray: ['token in header not found'] };
    const none = await api('order', 'get', {});
    expect(none.status).toBe(400);
    expect(none.json).toEqual(expected);
    expect((await api('order', 'get', {}, 'f'.repeat(32))).json).toEqual(expected);
    const token = await login();
    const bearer = await post('/api/v2/order/get/', '{}', { authorization: `Bearer ${token}` });
    expect(bearer.json).toEqual(expected);
    expect(sb.log.filter((c) => c.entity === 'order').every((c) => !c.tokenOk)).toBe(true);
  });

  it('answers never carry CORS headers, and OPTIONS is refused', async () => {
    const origin = { origin: 'chrome-extension://abcdefghijklmnop' };
    expectNoCors((await post('/api/v2/token/get/', '{"login":"olena","restapipassword":"olena-secret"}', origin)).headers);
    expectNoCors((await post('/api/v2/order/get/', '{}', origin)).headers);
    const preflight = await fetch(`${sb.url}/api/v2/order/get/`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'token' },
    });
    expect(preflight.status).toBe(405);
    expectNoCors(preflight.headers);
    const page = await fetch(`${sb.url}/101/`, { headers: origin });
    expectNoCors(page.headers);
    expect(page.headers.get('content-security-policy')).toBeNull();
  });

  it('a path without the trailing slash is a 404 HTML page; GET is not allowed', async () => {
    const token = await login();
    const noSlash = await post('/api/v2/order/get', '{}', { token });
    expect(noSlash.status).toBe(404);
    expect(noSlash.headers.get('content-type')).toMatch(/^text\/html/);
    expect(noSlash.text).toContain('<html');
    expect((await post('/api/v1/order/get/', '{}', { token })).status).toBe(404);
    const get = await fetch(`${sb.url}/api/v2/order/get/`, { headers: { token } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('an unknown entity or action is "Unknown method"', async () => {
    const token = await login();
    expectError(await api('invoice', 'get', {}, token), ['Unknown method']);
    expectError(await api('order', 'delete', {}, token), ['Unknown method']);
    expectError(await api('order', 'delete', {}), ['Unknown method']);
  });

  it('a body that is not JSON is an error after the token check', async () => {
    const token = await login();
    expectError(await post('/api/v2/order/get/', '{"filter":', { token }), ['Invalid JSON in request body']);
    expectError(await post('/api/v2/order/get/', '', { token }), ['Invalid JSON in request body']);
    expectError(await post('/api/v2/order/get/', 'nope'), ['token in header not found']);
    expect(sb.log[1]).toMatchObject({ entity: 'order', action: 'get', body: '{"filter":', tokenOk: true });
  });

  it('a token expires after N authenticated calls when the quirk is set', async () => {
    sb.quirks.tokenLifetimeCalls = 2;
    const token = await login();
    expect((await api('workflow', 'get', {}, token)).status).toBe(200);
    expect((await api('workflow', 'get', {}, token)).status).toBe(200);
    expectError(await api('workflow', 'get', {}, token), ['token in header not found']);
    expectError(await api('workflow', 'get', {}, token), ['token in header not found']);
    const fresh = await login();
    expect(fresh).not.toBe(token);
    expect((await api('workflow', 'get', {}, fresh)).status).toBe(200);
    expect(sb.log.map((c) => c.tokenOk)).toEqual([true, true, true, false, false, true, true]);
  });

  it('a token expires after N seconds when the quirk is set', async () => {
    sb.quirks.tokenLifetimeSeconds = 0.15;
    const token = await login();
    expect((await api('workflow', 'get', {}, token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expectError(await api('workflow', 'get', {}, token), ['token in header not found']);
  });

  it('tokens last without limit by default', async () => {
    const token = await login();
    for (let i = 0; i < 30; i++) expect((await api('workflow', 'get', {}, token)).status).toBe(200);
  });

  it('latency is added before every answer', async () => {
    const token = await login();
    sb.quirks.latencyMs = 150;
    let started = performance.now();
    await api('workflow', 'get', {}, token);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    await api('nothing', 'get', {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sb.quirks.latencyMs = 0;
    started = performance.now();
    await api('workflow', 'get', {}, token);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('the log records every call with entity, action, parsed body and time', async () => {
    const before = Date.now();
    const token = await login();
    await api('order', 'get', { filter: { id: 101 } }, token);
    expect(sb.log).toHaveLength(2);
    expect(sb.log[1]).toMatchObject({ entity: 'order', action: 'get', body: { filter: { id: 101 } }, tokenOk: true });
    expect(sb.log[1]?.at).toBeGreaterThanOrEqual(before);
    expect(sb.log[1]?.fault).toBeUndefined();
  });
});

describe('workflows, stages', () => {
  it('workflow/get lists business processes with string ids', async () => {
    const token = await login();
    expect(rows(await api('workflow', 'get', {}, token))).toEqual([
      { id: '3', name: 'Sales' },
      { id: '12', name: 'Orders from partners' },
    ]);
    expect(rows(await api('workflow', 'get', { filter: { id: [12] }, fields: ['name'] }, token))).toEqual([{ name: 'Orders from partners' }]);
  });

  it('status/get lists the stages of a workflow with the start stage marked', async () => {
    const token = await login();
    const stages = rows(await api('status', 'get', { filter: { workflowid: [12] }, fields: ['id', 'name', 'workflowid', 'startstatus'] }, token));
    expect(stages).toEqual([
      { id: '56', name: 'New', workflowid: '12', startstatus: '1' },
      { id: '57', name: 'In progress', workflowid: '12', startstatus: '0' },
      { id: '58', name: 'Done', workflowid: '12', startstatus: '0' },
    ]);
    const all = rows(await api('status', 'get', { filter: { workflowid: '3' } }, token));
    expect(all.map((s) => s.id)).toEqual(['8', '9', '10']);
    expect(all[0]).toEqual({ id: '8', name: 'New', workflowid: '3', startstatus: '1', sort: '1' });
  });

  it('reads reject unknown filter keys, unknown fields and a bad limit', async () => {
    const token = await login();
    expectError(await api('status', 'get', { filter: { colour: 'red' } }, token), { filter: 'Unknown filter colour' });
    expectError(await api('workflow', 'get', { fields: ['id', 'colour'] }, token), { fields: 'Unknown field colour' });
    expectError(await api('workflow', 'get', { fields: 'id,name' }, token), { fields: 'fields must be a list of field names' });
    expectError(await api('workflow', 'get', { limit: 0 }, token), { limit: 'limit must be a positive integer' });
    expectError(await api('workflow', 'get', [], token), ['Request body must be a JSON object']);
    expectError(await api('workflow', 'get', { filter: { id: { gt: 1 } } }, token), { filter: 'Invalid value of filter id' });
  });
});

describe('order/get', () => {
  it('returns the plain fields by default, ids as strings, oldest id first', async () => {
    const token = await login();
    const list = rows(await api('order', 'get', {}, token));
    expect(list.map((o) => o.id)).toEqual(['101', '102', '103', '104', '105']);
    const first = list[0] ?? {};
    expect(Object.keys(first).sort()).toEqual(
      ['cdate', 'clientid', 'description', 'externalid', 'id', 'managerid', 'name', 'statusid', 'udate', 'workflowid'].sort(),
    );
    expect(first).toMatchObject({ id: '101', name: 'Steel brackets, 500 pcs', workflowid: '3', statusid: '8', managerid: '1', clientid: '20', externalid: '' });
    expect(first.cdate).toMatch(DATE);
    expect(first.udate).toMatch(DATE);
  });

  it('returns only the requested fields, custom fields as an object or flat', async () => {
    const token = await login();
    const [order] = rows(
      await api('order', 'get', { filter: { id: '101' }, fields: ['id', 'customfields', 'customorder_delivery_terms'] }, token),
    );
    expect(order).toEqual({
      id: '101',
      customfields: { deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown, partner_deadline: '', delivery_terms: 'DAP', budget: '12000' },
      customorder_delivery_terms: 'DAP',
    });
    expectError(await api('order', 'get', { fields: ['customorder_colour'] }, token), { fields: 'Unknown field customorder_colour' });
  });

  it('filters by id, name, statusid, workflowid and externalid, scalar or list', async () => {
    const token = await login();
    const ids = async (filter: Row): Promise<unknown[]> => rows(await api('order', 'get', { filter, fields: ['id'] }, token)).map((o) => o.id);
    expect(await ids({ id: [103, '101', 999] })).toEqual(['101', '103']);
    expect(await ids({ id: 102 })).toEqual(['102']);
    expect(await ids({ name: 'Packaging film rolls' })).toEqual(['102']);
    expect(await ids({ statusid: [8] })).toEqual(['101', '104']);
    expect(await ids({ workflowid: 3, statusid: ['9', '10'] })).toEqual(['102', '103', '105']);
    expect(await ids({ workflowid: 12 })).toEqual([]);
    expect(await ids({ id: [] })).toEqual([]);
    await api('order', 'set', [{ orderid: 104, externalid: 'supplier-a:104' }], token);
    expect(await ids({ externalid: 'supplier-a:104' })).toEqual(['104']);
    expectError(await api('order', 'get', { filter: { clientid: 20 } }, token), { filter: 'Unknown filter clientid' });
  });

  it('limit defaults to 100 and is capped at 500; orderby sorts', async () => {
    const token = await login();
    const template = sb.state.orders[0];
    if (!template) throw new Error('seed has orders');
    for (let i = 0; i < 600; i++) sb.state.orders.push({ ...template, id: String(1000 + i), customfields: {} });
    expect(rows(await api('order', 'get', { fields: ['id'] }, token))).toHaveLength(100);
    expect(rows(await api('order', 'get', { fields: ['id'], limit: 1000 }, token))).toHaveLength(500);
    expect(rows(await api('order', 'get', { fields: ['id'], limit: '3' }, token)).map((o) => o.id)).toEqual(['101', '102', '103']);
    expect(rows(await api('order', 'get', { fields: ['id'], limit: 2, orderby: 'id desc' }, token)).map((o) => o.id)).toEqual(['1599', '1598']);
    expect(rows(await api('order', 'get', { fields: ['id'], limit: 2, orderby: { id: 'DESC' } }, token)).map((o) => o.id)).toEqual(['1599', '1598']);
    expect(rows(await api('order', 'get', { fields: ['id'], limit: 1, orderfields: ['id'], orderby: 'desc' }, token)).map((o) => o.id)).toEqual(['1599']);
    expectError(await api('order', 'get', { orderby: 'colour' }, token), { orderby: 'Unknown sort field colour' });
  });
});

describe('order/set', () => {
  it('creates a process: ids as strings, author and client = token owner, dates', async () => {
    const token = await login('partner-sync');
    const answer = await api('order', 'set', [{ name: 'From Buyer B', description: 'Line 1\nLine 2', workflowid: 12, statusid: '57', managerid: 2 }], token);
    expect(answer.json).toEqual({ status: 1, dataArray: ['106'] });
    const order = sb.state.orders.find((o) => o.id === '106');
    expect(order).toMatchObject({
      name: 'From Buyer B',
      description: 'Line 1\nLine 2',
      workflowid: '12',
      statusid: '57',
      managerid: '2',
      clientid: '3',
      authorid: '3',
      externalid: '',
    });
    expect(order?.cdate).toMatch(DATE);
    expect(order?.customfields).toEqual({ deadline: '', partner_deadline: '', delivery_terms: '', budget: '' });
    expect((await api('order', 'set', [{ workflowid: 3, statusid: 8 }], token)).json.dataArray).toEqual(['107']);
  });

  it('on create requires workflowid and statusid, and the stage must belong to the workflow', async () => {
    const token = await login();
    expectError(await api('order', 'set', [{ name: 'x', statusid: 56 }], token), { workflowid: 'workflowid is required' });
    expectError(await api('order', 'set', [{ name: 'x', workflowid: 12 }], token), { statusid: 'statusid is required' });
    expectError(await api('order', 'set', [{ name: 'x', workflowid: 99, statusid: 56 }], token), { workflowid: 'Unknown workflow' });
    expectError(await api('order', 'set', [{ name: 'x', workflowid: 12, statusid: 8 }], token), {
      statusid: 'Status 8 does not belong to workflow 12',
    });
    expectError(await api('order', 'set', [{ name: 'x', workflowid: 12, statusid: 999 }], token), { statusid: 'Unknown status' });
    expect(sb.state.orders).toHaveLength(5);
  });

  it('managerid must be an employee', async () => {
    const token = await login();
    expectError(await api('order', 'set', [{ workflowid: 12, statusid: 56, managerid: 77 }], token), { managerid: 'Unknown employee 77' });
    expectError(await api('order', 'set', [{ workflowid: 12, statusid: 56, managerid: 20 }], token), { managerid: 'Unknown employee 20' });
    expect(sb.state.orders).toHaveLength(5);
  });

  it('updates by orderid; an unknown orderid is an error', async () => {
    const token = await login();
    const answer = await api('order', 'set', [{ orderid: '102', statusid: 10, name: 'Renamed', customfields: { budget: 77 } }], token);
    expect(answer.json).toEqual({ status: 1, dataArray: ['102'] });
    expect(sb.state.orders.find((o) => o.id === '102')).toMatchObject({ name: 'Renamed', statusid: '10', clientid: '21', managerid: '2' });
    expect(sb.state.orders.find((o) => o.id === '102')?.customfields.budget).toBe('77');
    expectError(await api('order', 'set', [{ orderid: 999, name: 'x' }], token), { orderid: 'Unknown orderid 999' });
    expectError(await api('order', 'set', [{ orderid: 102, statusid: 56 }], token), { statusid: 'Status 56 does not belong to workflow 3' });
    expectError(await api('order', 'set', [{ orderid: 102, workflowid: 12 }], token), { statusid: 'statusid is required when workflowid changes' });
    expect(sb.state.orders).toHaveLength(5);
  });

  it('an existing externalid updates that process instead of creating a second one', async () => {
    const token = await login();
    const record = { externalid: 'supplier-a:101', name: 'Linked', workflowid: 12, statusid: 56 };
    const first = await api('order', 'set', [record], token);
    const again = await api('order', 'set', [{ ...record, name: 'Linked again' }], token);
    expect(first.json.dataArray).toEqual(['106']);
    expect(again.json.dataArray).toEqual(['106']);
    expect(sb.state.orders.filter((o) => o.externalid === 'supplier-a:101')).toHaveLength(1);
    expect(sb.state.orders.find((o) => o.id === '106')?.name).toBe('Linked again');
    // Two records with the same externalid in one write: one process.
    const pair = await api('order', 'set', [{ ...record, externalid: 'x:1' }, { externalid: 'x:1', name: 'second' }], token);
    expect(pair.json.dataArray).toEqual(['107', '107']);
  });

  it('client: userid sets it, an unknown contact is an error, a top-level clientid is ignored', async () => {
    const token = await login();
    await api('order', 'set', [{ workflowid: 12, statusid: 56, client: { userid: '22' } }], token);
    expect(sb.state.orders.at(-1)?.clientid).toBe('22');
    await api('order', 'set', [{ workflowid: 12, statusid: 56, clientid: 22 }], token);
    expect(sb.state.orders.at(-1)?.clientid).toBe('1');
    expectError(await api('order', 'set', [{ workflowid: 12, statusid: 56, client: { userid: 555 } }], token), { client: 'Unknown contact 555' });
    expect(sb.state.orders).toHaveLength(7);
  });

  it('client name fields create a duplicate contact every time (quirk)', async () => {
    const token = await login();
    const contacts = sb.state.contacts.length;
    await api('order', 'set', [{ workflowid: 12, statusid: 56, client: { name: 'Maria', namelast: 'Bondar', email: 'maria.bondar@example.com' } }], token);
    await api('order', 'set', [{ workflowid: 12, statusid: 56, clientname: 'Maria', clientnamelast: 'Bondar' }], token);
    expect(sb.state.contacts).toHaveLength(contacts + 2);
    const dupes = sb.state.contacts.filter((c) => c.name === 'Maria' && c.namelast === 'Bondar').map((c) => c.id);
    expect(dupes).toEqual(['21', '24', '25']);
    expect(sb.state.orders.at(-2)?.clientid).toBe('24');
    expect(sb.state.contacts.find((c) => c.id === '24')?.emails).toEqual(['maria.bondar@example.com']);
    // With a userid as well, the userid is the client and the duplicate is still made.
    await api('order', 'set', [{ workflowid: 12, statusid: 56, client: { userid: 21, name: 'Maria' } }], token);
    expect(sb.state.orders.at(-1)?.clientid).toBe('21');
    expect(sb.state.contacts).toHaveLength(contacts + 3);
  });

  it('custom fields by key, object or flat; unknown keys and bad values are errors', async () => {
    const token = await login();
    const created = await api(
      'order',
      'set',
      [{ workflowid: 12, statusid: 56, customfields: { partner_deadline: '2026-12-24', delivery_terms: 'DDP' }, customorder_budget: '1500.50' }],
      token,
    );
    expect(created.json.dataArray).toEqual(['106']);
    expect(sb.state.orders.at(-1)?.customfields).toEqual({ deadline: '', partner_deadline: '2026-12-24', delivery_terms: 'DDP', budget: '1500.50' });
    const bad = (fields: Row): Promise<Answer> => api('order', 'set', [{ orderid: 106, customfields: fields }], token);
    expectError(await bad({ partner_foo: 'x' }), { customfields: 'Unknown field partner_foo' });
    expectError(await api('order', 'set', [{ orderid: 106, customorder_partner_foo: 'x' }], token), { customfields: 'Unknown field partner_foo' });
    expectError(await bad({ delivery_terms: 'FOB' }), { customfields: 'Unknown option FOB for field delivery_terms' });
    expectError(await bad({ deadline: '24.12.2026' }), { customfields: 'Invalid value for field deadline' });
    expectError(await bad({ deadline: '2026-02-30' }), { customfields: 'Invalid value for field deadline' });
    expectError(await bad({ budget: 'a lot' }), { customfields: 'Invalid value for field budget' });
    expectError(await bad({ budget: { value: 1 } }), { customfields: 'Invalid value for field budget' });
    expect(sb.state.orders.at(-1)?.customfields.budget).toBe('1500.50');
    await bad({ budget: '' });
    expect(sb.state.orders.at(-1)?.customfields.budget).toBe('');
  });

  it('a write stops at the first bad record; records before it stay written', async () => {
    const token = await login();
    const answer = await api('order', 'set', [{ workflowid: 12, statusid: 56, name: 'ok' }, { workflowid: 12, name: 'bad' }], token);
    expectError(answer, { statusid: 'statusid is required' });
    expect(sb.state.orders.map((o) => o.name)).toContain('ok');
    expect(sb.state.orders.map((o) => o.name)).not.toContain('bad');
  });

  it('rejects bodies that are not a list of records', async () => {
    const token = await login();
    const none = ['Відсутня перший елемент масиву процесів'];
    expectError(await api('order', 'set', [], token), none);
    expectError(await api('order', 'set', {}, token), none);
    expectError(await api('order', 'set', { workflowid: 12, statusid: 56 }, token), none);
    expectError(await api('order', 'set', 'x', token), none);
    expectError(await api('order', 'set', ['x'], token), ['Each record must be an object']);
    expectError(await api('order', 'set', { '0': { workflowid: 12, statusid: 56 }, extra: 1 }, token), ['Invalid record key extra']);
    expect(sb.state.orders).toHaveLength(5);
  });
});

describe('keyed writes quirk', () => {
  it('when on, a bare array is rejected and the keyed object accepted, for every write', async () => {
    sb.quirks.keyedWrites = true;
    const token = await login();
    const record = { workflowid: 12, statusid: 56, name: 'Keyed' };
    expectError(await api('order', 'set', [record], token), ['Відсутня перший елемент масиву процесів']);
    expect(sb.state.orders).toHaveLength(5);
    const keyed = await api('order', 'set', { '0': record, '1': { ...record, name: 'Keyed 2' } }, token);
    expect(keyed.json).toEqual({ status: 1, dataArray: ['106', '107'] });
    expect(sb.state.orders.slice(-2).map((o) => o.name)).toEqual(['Keyed', 'Keyed 2']);
    expectError(await api('comment', 'set', [{ orderid: 106, content: 'hi' }], token), ['Відсутня перший елемент масиву процесів']);
    expect((await api('comment', 'set', { '0': { orderid: 106, content: 'hi' } }, token)).json.status).toBe(1);
    expectError(await api('contact', 'set', [{ name: 'A' }], token), ['Відсутня перший елемент масиву процесів']);
    expect((await api('contact', 'set', { '0': { name: 'A' } }, token)).json.status).toBe(1);
  });

  it('when off (default), both forms are accepted', async () => {
    const token = await login();
    expect((await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['106']);
    expect((await api('order', 'set', { '0': { workflowid: 12, statusid: 56 } }, token)).json.dataArray).toEqual(['107']);
  });
});

describe('read quirks', () => {
  it('ignoreFilters answers every record of the entity, unfiltered and unlimited, with the fields asked', async () => {
    sb.quirks.ignoreFilters = true;
    const token = await login();
    const orders = rows(await api('order', 'get', { filter: { id: 103, nosuchfilter: 1 }, fields: ['id'], limit: 1 }, token));
    expect(orders.map((o) => o.id)).toEqual(['101', '102', '103', '104', '105']);
    const statuses = rows(await api('status', 'get', { filter: { workflowid: [12] }, fields: ['workflowid'] }, token));
    expect(new Set(statuses.map((s) => s.workflowid))).toEqual(new Set(['3', '12']));
    const comments = rows(await api('comment', 'get', { filter: { orderid: 101 }, fields: ['id', 'orderid'], limit: 1 }, token));
    // Still only comments, not system items, as the box lists them without a filter.
    expect(comments.map((c) => c.id)).toEqual(sb.state.comments.filter((c) => c.type === 'comment').map((c) => c.id));
  });

  it('ignoreOrderby answers lowest id first whatever the sort, and does not check it', async () => {
    const token = await login();
    const ask = { filter: { orderid: 101 }, fields: ['id'], orderby: { id: 'desc' } };
    expect(rows(await api('comment', 'get', ask, token)).map((c) => c.id)).toEqual(['1004', '1002', '1001']);
    sb.quirks.ignoreOrderby = true;
    expect(rows(await api('comment', 'get', ask, token)).map((c) => c.id)).toEqual(['1001', '1002', '1004']);
    expect(rows(await api('order', 'get', { fields: ['id'], orderby: 'nosuchfield sideways', limit: 2 }, token))).toEqual([{ id: '101' }, { id: '102' }]);
  });

  it('commentsOfAnotherOrder answers comment/get with the lowest other process that has comments', async () => {
    sb.quirks.commentsOfAnotherOrder = true;
    const token = await login();
    const of = async (orderid: unknown) =>
      [...new Set(rows(await api('comment', 'get', { filter: { orderid }, fields: ['orderid'] }, token)).map((c) => c.orderid))];
    expect(await of(103)).toEqual(['101']);
    expect(await of([101, 102])).toEqual(['103']);
    sb.state.comments = sb.state.comments.filter((c) => c.orderid === '101');
    expect(await of(101)).toEqual([]);
  });
});

describe('top-level dialect quirk', () => {
  beforeEach(() => {
    sb.quirks.dialect = 'top-level';
  });

  it('reads filter keys at the top level, and answers a filter wrapper with everything', async () => {
    const token = await login();
    expect(rows(await api('order', 'get', { id: [103], fields: ['id'], limit: 5 }, token))).toEqual([{ id: '103' }]);
    const wrapped = rows(await api('order', 'get', { filter: { id: [103] }, fields: ['id'], limit: 5 }, token));
    expect(wrapped.map((o) => o.id)).toEqual(['101', '102', '103', '104', '105']);
    expectError(await api('order', 'get', { nosuchfilter: 1, fields: ['id'] }, token), { filter: 'Unknown filter nosuchfilter' });
  });

  it('sorts by a direction over orderfields and ignores an orderby object', async () => {
    const token = await login();
    const ids = async (sort: Row) => rows(await api('order', 'get', { fields: ['id'], limit: 2, ...sort }, token)).map((o) => o.id);
    expect(await ids({ orderby: 'DESC', orderfields: ['id'] })).toEqual(['105', '104']);
    expect(await ids({ orderby: { id: 'desc' } })).toEqual(['101', '102']);
  });

  it('keeps comments at order/comments/get|set, and answers comment/* as an unknown method', async () => {
    const token = await login();
    const read = await api('order/comments', 'get', { orderid: [101], fields: ['id'], orderby: 'desc', orderfields: ['id'] }, token);
    expect(rows(read).map((c) => c.id)).toEqual(['1004', '1002', '1001']);
    const written = await api('order/comments', 'set', [{ orderid: 101, content: 'top-level' }], token);
    expect(written.json.dataArray).toHaveLength(1);
    expectError(await api('comment', 'get', { filter: { orderid: [101] } }, token), ['Unknown method']);
    expectError(await api('comment', 'set', [{ orderid: 101, content: 'x' }], token), ['Unknown method']);
  });

  it('spells the employee flag employer, with level 2', async () => {
    const token = await login();
    const email = sb.state.contacts.find((c) => c.employee === '1')?.emails[0];
    const found = rows(await api('contact', 'get', { emails: [email], fields: ['id', 'employer', 'level'] }, token));
    expect(found).toEqual([{ id: expect.any(String), employer: '1', level: '2' }]);
    expectError(await api('contact', 'get', { emails: [email], fields: ['employee'] }, token), { fields: 'Unknown field employee' });
  });

  it('the wrapped dialect answers order/comments/get as an unknown method', async () => {
    sb.quirks.dialect = 'wrapped';
    const token = await login();
    expectError(await api('order/comments', 'get', { orderid: [101] }, token), ['Unknown method']);
  });
});

describe('contacts', () => {
  it('contact/get finds an employee by email, and filters by phone, namelast and id', async () => {
    const token = await login();
    const found = rows(await api('contact', 'get', { filter: { emails: ['IVAN@supplier-a.example'], employee: 1 }, fields: ['id', 'name', 'emails'] }, token));
    expect(found).toEqual([{ id: '2', name: 'Ivan', emails: ['ivan@supplier-a.example'] }]);
    expect(rows(await api('contact', 'get', { filter: { emails: 'maria.bondar@example.com', employee: 1 } }, token))).toEqual([]);
    const byPhone = rows(await api('contact', 'get', { filter: { phones: ['+38 (050) 123-45-67'] } }, token));
    expect(byPhone).toEqual([
      {
        id: '20',
        name: 'Андрій',
        namelast: 'Шевченко',
        phones: ['+380501234567'],
        emails: ['andriy@budmaister.example'],
        typesex: 'person',
        employee: '0',
        company: 'ТОВ «Будмайстер»',
      },
    ]);
    expect(rows(await api('contact', 'get', { filter: { namelast: 'шевченко' }, fields: ['id'] }, token))).toEqual([{ id: '20' }]);
    expect(rows(await api('contact', 'get', { filter: { employee: 1 }, fields: ['id'] }, token)).map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(rows(await api('contact', 'get', { filter: { id: [23] }, fields: ['typesex'] }, token))).toEqual([{ typesex: 'company' }]);
  });

  it('contact/set without findbyArray always creates, duplicates included', async () => {
    const token = await login();
    const record = { name: 'Olha', namelast: 'Melnyk', typesex: 'person', phones: ['+380931112233'], emails: ['olha@example.com'] };
    expect((await api('contact', 'set', [record], token)).json).toEqual({ status: 1, dataArray: ['24'] });
    expect((await api('contact', 'set', [record], token)).json.dataArray).toEqual(['25']);
    expect(sb.state.contacts.filter((c) => c.namelast === 'Melnyk')).toHaveLength(2);
    expect(sb.state.contacts.find((c) => c.id === '24')).toMatchObject({ employee: '0', phones: ['+380931112233'], cdate: expect.stringMatching(DATE) as unknown });
  });

  it('findbyArray + returnwithoutupdate returns the existing contact untouched', async () => {
    const token = await login();
    const answer = await api('contact', 'set', [{ name: 'Someone else', phones: ['380501234567'], findbyArray: ['phone'], returnwithoutupdate: 1 }], token);
    expect(answer.json.dataArray).toEqual(['20']);
    expect(sb.state.contacts.find((c) => c.id === '20')?.name).toBe('Андрій');
    expect(sb.state.contacts).toHaveLength(7);
  });

  it('findbyArray without returnwithoutupdate updates the found contact; not found creates', async () => {
    const token = await login();
    const answer = await api('contact', 'set', [{ name: 'Marie', emails: ['Maria.Bondar@example.com'], phones: ['+380990000000'], findbyArray: ['email'] }], token);
    expect(answer.json.dataArray).toEqual(['21']);
    expect(sb.state.contacts.find((c) => c.id === '21')).toMatchObject({ name: 'Marie', phones: ['+380672223344', '+380990000000'] });
    const created = await api('contact', 'set', [{ name: 'New', emails: ['new@example.com'], findbyArray: ['email', 'phone'], returnwithoutupdate: 1 }], token);
    expect(created.json.dataArray).toEqual(['24']);
  });

  it('contact/set validates its records', async () => {
    const token = await login();
    expectError(await api('contact', 'set', [{ name: 'A', typesex: 'robot' }], token), { typesex: 'Invalid typesex' });
    expectError(await api('contact', 'set', [{ name: 'A', findbyArray: ['inn'] }], token), { findbyArray: 'Unknown key inn' });
    expectError(await api('contact', 'set', [{ phones: ['+1'] }], token), { name: 'Contact name is empty' });
    expectError(await api('contact', 'set', [{ name: 'A', phones: [{ n: 1 }] }], token), { phones: 'Invalid phones' });
  });
});

describe('comments API', () => {
  it('comment/get returns comments of the given processes, oldest first, without system items', async () => {
    const token = await login();
    const list = rows(await api('comment', 'get', { filter: { orderid: [101, 102] }, fields: ['id', 'orderid', 'content', 'cdate', 'userid', 'username', 'clientvisible'], limit: 500 }, token));
    expect(list.map((c) => c.id)).toEqual(['1001', '1002', '1004', '1005', '1007']);
    expect(list[0]).toEqual({
      id: '1001',
      orderid: '101',
      content: 'Доброго дня! Коли буде відвантаження?',
      cdate: expect.stringMatching(DATE) as unknown,
      userid: '20',
      username: 'Андрій Шевченко',
      clientvisible: '1',
    });
    expect(list[2]).toMatchObject({ id: '1004', userid: '2', username: 'Ivan Petrenko', clientvisible: '0' });
    const all = rows(await api('comment', 'get', { filter: { orderid: 101 } }, token));
    expect(Object.keys(all[0] ?? {}).sort()).toEqual(['cdate', 'clientvisible', 'content', 'id', 'orderid', 'type', 'userid', 'username']);
  });

  it('comment/get filters by id and type, honours limit, and has no idfrom filter', async () => {
    const token = await login();
    expect(rows(await api('comment', 'get', { filter: { id: ['1002', 1008] }, fields: ['id'] }, token))).toEqual([{ id: '1002' }, { id: '1008' }]);
    expect(rows(await api('comment', 'get', { filter: { id: 1003 } }, token))).toEqual([]);
    const system = rows(await api('comment', 'get', { filter: { orderid: 101, type: ['change', 'notify'] }, fields: ['id', 'type'] }, token));
    expect(system).toEqual([{ id: '1003', type: 'change' }]);
    expect(rows(await api('comment', 'get', { limit: 2, fields: ['id'] }, token))).toEqual([{ id: '1001' }, { id: '1002' }]);
    expectError(await api('comment', 'get', { filter: { orderid: 101, idfrom: 1002 } }, token), { filter: 'Unknown filter idfrom' });
  });

  it('comment/set stores text exactly, with the token owner as author', async () => {
    const token = await login('partner-sync');
    const long = `${'Привіт 👋 <b>не жирний</b> & "лапки"\n'.repeat(300)}кінець`;
    expect(long.length).toBeGreaterThan(10_000);
    const answer = await api('comment', 'set', [{ orderid: 101, content: long, clientvisible: 0 }], token);
    expect(answer.json).toEqual({ status: 1, dataArray: ['1015'] });
    const stored = sb.state.comments.find((c) => c.id === '1015');
    expect(stored).toMatchObject({ orderid: '101', content: long, userid: '3', clientvisible: '0', type: 'comment' });
    const [back] = rows(await api('comment', 'get', { filter: { id: 1015 } }, token));
    expect(back).toMatchObject({ content: long, username: 'Partner Sync', clientvisible: '0' });
    expect((await api('comment', 'set', [{ orderid: '102', content: ' x ' }], token)).json.dataArray).toEqual(['1016']);
    expect(sb.state.comments.find((c) => c.id === '1016')).toMatchObject({ content: ' x ', clientvisible: '1' });
  });

  it('comment/set refuses an unknown order, empty content and bad flags', async () => {
    const token = await login();
    expectError(await api('comment', 'set', [{ orderid: 999, content: 'x' }], token), { orderid: 'Unknown order 999' });
    expectError(await api('comment', 'set', [{ orderid: 101, content: '  \n' }], token), { content: 'Comment is empty' });
    expectError(await api('comment', 'set', [{ orderid: 101 }], token), { content: 'Comment is empty' });
    expectError(await api('comment', 'set', [{ content: 'x' }], token), { orderid: 'orderid is required' });
    expectError(await api('comment', 'set', [{ orderid: 101, content: 'x', clientvisible: 'yes' }], token), { clientvisible: 'Invalid clientvisible' });
    expect(sb.state.comments).toHaveLength(14);
  });
});

/** A POST over a fresh connection that reports what arrived before the socket closed. */
function rawPost(path: string, body: string, headers: Record<string, string>): Promise<{
  statusCode?: number;
  contentLength?: string;
  received: number;
  complete: boolean;
  error?: string;
}> {
  return new Promise((resolve) => {
    const req = httpRequest(`${sb.url}${path}`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } });
    req.on('response', (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('error', () => undefined);
      res.on('close', () =>
        resolve({ statusCode: res.statusCode, contentLength: res.headers['content-length'], received, complete: res.complete }),
      );
    });
    req.on('error', (err) => resolve({ received: 0, complete: false, error: err.message }));
    req.end(body);
  });
}

describe('faults', () => {
  it('failNext answers HTML error pages, counts down, and processes nothing', async () => {
    const token = await login();
    sb.faults.failNext(2);
    for (let i = 0; i < 2; i++) {
      const answer = await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token);
      expect(answer.status).toBe(500);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.text).toContain('500 Internal Server Error');
    }
    expect(sb.state.orders).toHaveLength(5);
    expect((await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['106']);
    expect(sb.log.slice(1).map((c) => c.fault ?? 'ok')).toEqual(['fail', 'fail', 'ok']);
    sb.faults.failNext(1, 503);
    const unavailable = await api('workflow', 'get', {}, token);
    expect(unavailable.status).toBe(503);
    expect(unavailable.text).toContain('503 Service Unavailable');
    sb.faults.failNext(1);
    expect((await api('token', 'get', { login: 'olena', restapipassword: 'olena-secret' })).status).toBe(500);
  });

  it('commitThenDropNextWrite stores the write and cuts the answer after the headers', async () => {
    const token = await login();
    sb.faults.commitThenDropNextWrite();
    // A read does not use up the switch.
    expect((await api('order', 'get', { fields: ['id'] }, token)).status).toBe(200);
    const cut = await rawPost('/api/v2/order/set/', JSON.stringify([{ externalid: 'a:101', workflowid: 12, statusid: 56 }]), { token });
    expect(cut.statusCode).toBe(200);
    expect(Number(cut.contentLength)).toBeGreaterThan(0);
    expect(cut.received).toBe(0);
    expect(cut.complete).toBe(false);
    expect(sb.state.orders.find((o) => o.externalid === 'a:101')?.id).toBe('106');
    expect(sb.log.at(-1)?.fault).toBe('drop');
    // The retry with the same externalid finds the process: nothing doubled.
    expect((await api('order', 'set', [{ externalid: 'a:101', workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['106']);
    expect(sb.state.orders).toHaveLength(6);
  });

  it('commit-then-drop looks like a network error to fetch, and works for comments', async () => {
    const token = await login();
    sb.faults.commitThenDropNextWrite();
    await expect(api('comment', 'set', [{ orderid: 101, content: 'dropped answer' }], token)).rejects.toThrow();
    expect(sb.state.comments.filter((c) => c.content === 'dropped answer')).toHaveLength(1);
    expect((await api('comment', 'set', [{ orderid: 101, content: 'next' }], token)).status).toBe(200);
  });

  it('garbageNext answers 200 with html, empty, wrong-typed or cut JSON, once', async () => {
    const token = await login();
    sb.faults.garbageNext('html');
    const html = await api('order', 'get', {}, token);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.text).toMatch(/^<!doctype html>/);

    sb.faults.garbageNext('empty');
    const empty = await api('order', 'get', {}, token);
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('');

    sb.faults.garbageNext('wrong-types');
    const wrong = await api('order', 'get', {}, token);
    expect(wrong.status).toBe(200);
    expect(wrong.json.status).toBe(1);
    const [first] = wrong.json.dataArray as Row[];
    expect(typeof first?.id).toBe('object');
    expect(first?.name).toBe(42);
    expect(first?.cdate).toBeUndefined();
    sb.faults.garbageNext('wrong-types');
    expect((await api('token', 'get', { login: 'olena', restapipassword: 'olena-secret' })).json.dataArray).toEqual({ token: { value: 12345 } });

    sb.faults.garbageNext('not-json');
    const cut = await api('order', 'get', {}, token);
    expect(cut.status).toBe(200);
    expect(cut.headers.get('content-type')).toMatch(/^application\/json/);
    expect(() => JSON.parse(cut.text) as unknown).toThrow();

    sb.faults.garbageNext('wrong-types');
    await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token);
    expect(sb.state.orders).toHaveLength(5); // a garbage answer means nothing was processed
    expect(rows(await api('order', 'get', { fields: ['id'] }, token))).toHaveLength(5);
    expect(sb.log.filter((c) => c.fault === 'garbage')).toHaveLength(6);
  });

  it('down destroys API and page connections; up brings the box back', async () => {
    const token = await login();
    sb.faults.down();
    await expect(api('order', 'get', {}, token)).rejects.toThrow();
    await expect(fetch(`${sb.url}/101/`)).rejects.toThrow();
    const raw = await rawPost('/api/v2/order/get/', '{}', { token });
    expect(raw.statusCode).toBeUndefined();
    expect(raw.error).toBeDefined();
    // The control endpoints still answer while down.
    expect((await fetch(`${sb.url}/__sandbox/faults`)).status).toBe(200);
    sb.faults.up();
    expect((await api('order', 'get', {}, token)).status).toBe(200);
    expect((await fetch(`${sb.url}/101/`)).status).toBe(200);
  });

  it('reset clears every armed fault', async () => {
    const token = await login();
    sb.faults.failNext(5);
    sb.faults.garbageNext('html');
    sb.faults.commitThenDropNextWrite();
    sb.faults.down();
    sb.faults.reset();
    expect((await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['106']);
    expect(sb.log.every((c) => c.fault === undefined)).toBe(true);
    expect(() => sb.faults.failNext(-1)).toThrow(RangeError);
  });
});

describe('control endpoints', () => {
  const control = async (what: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(`${sb.url}/__sandbox/${what}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as unknown };
  };

  it('GET state shows the data without passwords', async () => {
    const { status, json } = await control('state');
    expect(status).toBe(200);
    const state = json as { orders: Row[]; employees: Row[]; statuses: Row[] };
    expect(state.orders).toHaveLength(5);
    expect(state.employees).toEqual([
      { id: '1', login: 'olena' },
      { id: '2', login: 'ivan' },
      { id: '3', login: 'partner-sync' },
    ]);
    expect(JSON.stringify(json)).not.toMatch(/secret|restapipassword/);
    expect(sb.state.employees[0]?.restapipassword).toBe('olena-secret');
  });

  it('POST quirks changes the live quirks and validates them', async () => {
    const { status, json } = await control('quirks', { keyedWrites: true, latencyMs: 5, tokenLifetimeCalls: 3 });
    expect(status).toBe(200);
    expect(json).toEqual({
      keyedWrites: true, latencyMs: 5, tokenLifetimeCalls: 3, tokenLifetimeSeconds: null, composer: 'form',
      ignoreFilters: false, ignoreOrderby: false, firstFilterValueOnly: false, commentsOfOneOrder: false, commentsOfAnotherOrder: false, dropsManager: false, blocks: 'inline', blockDelayMs: 1_000, dialect: 'wrapped',
    });
    expect(sb.quirks.keyedWrites).toBe(true);
    expect((await control('quirks', { dialect: 'top-level' })).json).toMatchObject({ dialect: 'top-level' });
    expect((await control('quirks', { dialect: 'flat' })).json).toEqual({ error: 'dialect must be wrapped or top-level' });
    expect((await control('quirks', { ignoreFilters: true, ignoreOrderby: true, commentsOfAnotherOrder: true })).json).toMatchObject({
      ignoreFilters: true, ignoreOrderby: true, commentsOfAnotherOrder: true,
    });
    expect((await control('quirks', { keyedWrites: 'yes' })).status).toBe(400);
    expect((await control('quirks', { ignoreFilters: 1 })).json).toEqual({ error: 'ignoreFilters must be a boolean' });
    expect((await control('quirks', { colour: 1 })).status).toBe(400);
    expect((await control('quirks', { tokenLifetimeCalls: null })).json).toMatchObject({ tokenLifetimeCalls: null });
    expect(sb.quirks.latencyMs).toBe(5);
  });

  it('POST quirks switches the composer and refuses an unknown variant', async () => {
    expect(sb.quirks.composer).toBe('form');
    const { status, json } = await control('quirks', { composer: 'button' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ composer: 'button' });
    expect(sb.quirks.composer).toBe('button');
    for (const bad of ['textarea', 'Button', '', null, 1, ['button']]) {
      const refused = await control('quirks', { composer: bad });
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({ error: 'composer must be one of form, button' });
    }
    // The whole patch is checked first: a bad composer changes nothing else either.
    expect((await control('quirks', { latencyMs: 7, composer: 'modal' })).status).toBe(400);
    expect(sb.quirks).toMatchObject({ composer: 'button', latencyMs: 0 });
    expect((await control('quirks', { composer: 'form' })).json).toMatchObject({ composer: 'form' });
  });

  it('POST quirks switches how the comment block comes and how long it takes', async () => {
    expect((await control('quirks', { blocks: 'late', blockDelayMs: 50 })).json).toMatchObject({ blocks: 'late', blockDelayMs: 50 });
    for (const bad of [{ blocks: 'eager' }, { blockDelayMs: -1 }, { blockDelayMs: 'slow' }]) expect((await control('quirks', bad)).status).toBe(400);
    expect(sb.quirks).toMatchObject({ blocks: 'late', blockDelayMs: 50 });
  });

  it('POST faults arms failNext, garbage, commit-then-drop, downForMs and reset', async () => {
    const token = await login();
    expect((await control('faults', { failNext: 1, status: 502 })).json).toMatchObject({ failNext: 1, failStatus: 502 });
    expect((await api('workflow', 'get', {}, token)).status).toBe(502);
    await control('faults', { garbageNext: 'empty' });
    expect((await api('workflow', 'get', {}, token)).text).toBe('');
    await control('faults', { commitThenDropNextWrite: true });
    await expect(api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).rejects.toThrow();
    expect(sb.state.orders).toHaveLength(6);
    await control('faults', { failNext: 4 });
    expect((await control('faults', { reset: true })).json).toEqual({
      failNext: 0,
      failStatus: 500,
      commitThenDropNextWrite: false,
      garbageNext: null,
      down: false,
    });
    expect((await control('faults', { garbageNext: 'xml' })).status).toBe(400);
    expect((await control('faults', { down: true })).status).toBe(400);

    expect((await control('faults', { downForMs: 150 })).status).toBe(200);
    await expect(api('workflow', 'get', {}, token)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await api('workflow', 'get', {}, token)).status).toBe(200);
  });

  it('GET log lists the calls', async () => {
    await login();
    const { json } = await control('log');
    expect(json).toEqual([expect.objectContaining({ entity: 'token', action: 'get', tokenOk: true, body: { login: 'olena', restapipassword: '***' } })]);
  });
});

describe('pages', () => {
  async function page(path: string, cookie?: string): Promise<{ status: number; html: string; setCookie: string | null; headers: Headers }> {
    const res = await fetch(sb.url + path, { headers: cookie === undefined ? {} : { cookie }, redirect: 'manual' });
    return { status: res.status, html: await res.text(), setCookie: res.headers.get('set-cookie'), headers: res.headers };
  }
  const cookieOf = (setCookie: string | null): string => (setCookie ?? '').split(';')[0] ?? '';

  it('the start page signs in the first employee and lists the orders', async () => {
    const { status, html, setCookie, headers } = await page('/');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(setCookie).toMatch(/^ob_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const doc = parse(html);
    expect(doc.querySelector('.ob-user')?.textContent).toBe('Olena Kovalenko');
    expect([...doc.querySelectorAll('a.ob-order-link')].map((a) => a.getAttribute('href'))).toEqual(['/101/', '/102/', '/103/', '/104/', '/105/']);
    // With the cookie, no new session is started.
    expect((await page('/', cookieOf(setCookie))).setCookie).toBeNull();
  });

  it('serves the order page under its three URL forms; unknown ids and paths are 404', async () => {
    const modern = await page('/101/');
    expect(modern.status).toBe(200);
    for (const path of ['/admin/shop/orders/101/', '/admin/customorder/order/101/edit/']) {
      const other = await page(path);
      expect(other.status).toBe(200);
      expect(parse(other.html).querySelector('h1.ob-order-title')?.textContent).toBe('Steel brackets, 500 pcs');
    }
    for (const path of ['/999/', '/101', '/admin/shop/orders/999/', '/nothing/']) {
      const missing = await page(path);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });

  it('the order page has the header, details, the 2016 comment markup and the composer', async () => {
    const doc = parse((await page('/101/')).html);
    expect(doc.querySelector('div.ob-order-header > h1.ob-order-title')?.textContent).toBe('Steel brackets, 500 pcs');
    expect(doc.querySelector('.ob-order-workflow')?.textContent).toBe('Sales');
    expect(doc.querySelector('.ob-order-status')?.textContent).toBe('New');
    expect(doc.querySelector('.ob-order-client')?.getAttribute('data-id')).toBe('20');
    expect(doc.querySelector('.ob-order-manager')?.textContent).toBe('Olena Kovalenko');
    expect(doc.querySelector('.ob-order-field[data-key="delivery_terms"]')?.textContent).toBe('DAP');

    const items = [...doc.querySelectorAll('div.ob-block-comments > div.comment-item.js-item-comment')];
    expect(items).toHaveLength(3);
    const [fromClient, mine] = items;
    expect(fromClient?.classList.contains('my-comment')).toBe(false);
    expect(mine?.classList.contains('my-comment')).toBe(true);
    expect(fromClient?.querySelector('.chead a.name')?.getAttribute('data-id')).toBe('20');
    expect(fromClient?.querySelector('.chead a.name')?.textContent).toBe('Андрій Шевченко');
    expect(fromClient?.querySelector('.chead span.tag')?.textContent).toBe('ТОВ «Будмайстер»');
    expect(mine?.querySelector('.chead span.tag')).toBeNull();
    expect(fromClient?.querySelector('.chead span.date')?.textContent).toMatch(DATE);
    expect(fromClient?.querySelector('a.js-comment-quote')?.getAttribute('data-id')).toBe('1001');
    expect(fromClient?.querySelector('a.js-comment-edit')?.getAttribute('data-id')).toBe('1001');
    expect(fromClient?.querySelector('div.cbody')?.id).toBe('js-text-1001');
    expect(fromClient?.querySelector('#js-text-1001')?.textContent).toBe('Доброго дня! Коли буде відвантаження?');
    expect(mine?.querySelector('#js-text-1002')?.innerHTML).toBe('Good afternoon! We plan to ship next week.<br>I will confirm the date on Monday.');
    expect(doc.querySelectorAll('div.ob-block-comments > div.comment-item.js-item-change')).toHaveLength(1);
    expect(parse((await page('/102/')).html).querySelectorAll('div.comment-item.js-item-notify')).toHaveLength(1);

    const composer = doc.querySelector('div.ob-comment-add form');
    expect(composer?.querySelector('textarea#js-postcomment')?.getAttribute('name')).toBe('postcomment');
    const type = composer?.querySelector('input#js-comment-type');
    expect([type?.getAttribute('type'), type?.getAttribute('name'), type?.getAttribute('value')]).toEqual(['hidden', 'commenttype', 'comment']);
    const visible = composer?.querySelector('input#js-comment-clientvisible');
    expect(visible?.getAttribute('name')).toBe('clientvisible');
    expect(visible?.hasAttribute('checked')).toBe(true);
    expect(visible?.closest('label')?.textContent?.trim()).toBe('Visible in client cabinet');
    expect(composer?.querySelector('button.js-comment-submit')?.getAttribute('type')).toBe('submit');
    expect(doc.querySelectorAll('script')).toHaveLength(1);
    expect(doc.querySelector('script')?.textContent).toContain("fetch('/admin/comment/add/'");
  });

  it('escapes every text: markup in names and comments shows as text', async () => {
    const token = await login();
    const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">\nline two';
    await api('comment', 'set', [{ orderid: 105, content: evil }], token);
    const { html } = await page('/105/');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const doc = parse(html);
    expect(doc.querySelector('h1.ob-order-title')?.textContent).toBe('Fasteners & "anchors" <M8>');
    expect(doc.querySelector('title')?.textContent).toContain('Fasteners & "anchors" <M8>');
    expect(doc.querySelectorAll('script')).toHaveLength(1);
    expect(doc.querySelectorAll('.ob-block-comments img')).toHaveLength(0);
    const body = doc.querySelector('#js-text-1015');
    expect(body?.textContent).toBe(evil.replace('\n', ''));
    expect(body?.querySelectorAll('br')).toHaveLength(1);
    expect(doc.querySelector('#js-text-1014')?.textContent).toBe('Sure, <b>confirmed</b>.');
  });

  it('?as=<login> switches the signed-in user, and the cookie remembers it', async () => {
    const first = await page('/101/');
    const cookie = cookieOf(first.setCookie);
    const switched = await page('/101/?as=ivan', cookie);
    expect(switched.setCookie).toBeNull();
    const doc = parse(switched.html);
    expect(doc.querySelector('.ob-user')?.textContent).toBe('Ivan Petrenko');
    expect([...doc.querySelectorAll('.comment-item.my-comment .cbody')].map((c) => c.id)).toEqual(['js-text-1004']);
    expect(parse((await page('/', cookie)).html).querySelector('.ob-user')?.textContent).toBe('Ivan Petrenko');
    const fresh = await page('/?as=partner-sync');
    expect(fresh.setCookie).toMatch(/^ob_session=/);
    expect(parse(fresh.html).querySelector('.ob-user')?.getAttribute('data-id')).toBe('3');
    expect((await page('/?as=ghost')).status).toBe(403);
  });

  async function addViaPage(fields: Record<string, string>, cookie?: string, contentType = 'application/x-www-form-urlencoded;charset=UTF-8'): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (cookie !== undefined) headers.cookie = cookie;
    const res = await fetch(`${sb.url}/admin/comment/add/`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
    return { status: res.status, json: (await res.json()) as unknown };
  }

  it('/admin/comment/add/ needs a session and stores the comment as the session user', async () => {
    const fields = { orderid: '101', postcomment: 'Від сторінки 🙂\n<b>x</b>', commenttype: 'comment', clientvisible: '0' };
    expect((await addViaPage(fields)).status).toBe(403);
    expect((await addViaPage(fields, 'ob_session=forged')).status).toBe(403);
    expect(sb.state.comments).toHaveLength(14);

    const cookie = cookieOf((await page('/101/?as=ivan')).setCookie);
    const added = await addViaPage(fields, cookie);
    expect(added).toEqual({ status: 200, json: { status: 1, id: '1015' } });
    expect(sb.state.comments.at(-1)).toMatchObject({ id: '1015', orderid: '101', userid: '2', clientvisible: '0', type: 'comment', content: 'Від сторінки 🙂\n<b>x</b>' });
    await addViaPage({ ...fields, clientvisible: '1' }, cookie);
    expect(sb.state.comments.at(-1)?.clientvisible).toBe('1');
    await addViaPage({ orderid: '101', postcomment: 'no flag' }, cookie);
    expect(sb.state.comments.at(-1)).toMatchObject({ content: 'no flag', clientvisible: '0' });

    expect((await addViaPage({ ...fields, postcomment: '   ' }, cookie)).status).toBe(400);
    expect((await addViaPage({ ...fields, orderid: '999' }, cookie)).status).toBe(404);
    expect((await addViaPage(fields, cookie, 'application/json')).status).toBe(400);
    expect(sb.state.comments).toHaveLength(17);
  });

  it('/admin/comment/list/ returns the items fragment for the session user', async () => {
    expect((await page('/admin/comment/list/?orderid=101')).status).toBe(403);
    const cookie = cookieOf((await page('/')).setCookie);
    const list = await page('/admin/comment/list/?orderid=101', cookie);
    expect(list.status).toBe(200);
    expect(list.html).not.toContain('<html');
    const doc = parse(`<div class="ob-block-comments">${list.html}</div>`);
    expect(doc.querySelectorAll('.comment-item.js-item-comment')).toHaveLength(3);
    expect(doc.querySelectorAll('.comment-item.js-item-comment.my-comment')).toHaveLength(1);
    expect(doc.querySelectorAll('.comment-item.js-item-change')).toHaveLength(1);
    expect((await page('/admin/comment/list/?orderid=999', cookie)).status).toBe(404);
  });

  /** The comment block's composer parts, for either variant. */
  function composerOf(html: string): { block: Element | null; form: Element | null; textarea: Element | null; button: Element | null } {
    const block = parse(html).querySelector('div.ob-order div.ob-comment-add') as unknown as Element | null;
    return {
      block,
      form: block?.querySelector('form') ?? null,
      textarea: block?.querySelector('textarea#js-postcomment') ?? null,
      button: block?.querySelector('button.js-comment-submit') ?? null,
    };
  }

  function expectButtonComposer(html: string, orderId: string): void {
    const { block, form, textarea, button } = composerOf(html);
    expect(block).not.toBeNull();
    expect(form).toBeNull();
    expect(parse(html).querySelectorAll('form')).toHaveLength(0);
    expect(textarea?.getAttribute('name')).toBe('postcomment[]');
    expect(block?.querySelector('textarea[name="postcomment[]"]')).toBe(textarea);
    expect(button?.getAttribute('type')).toBe('button');
    expect(button?.getAttribute('data-orderid')).toBe(orderId);
    const type = block?.querySelector('input#js-comment-type');
    expect([type?.getAttribute('type'), type?.getAttribute('name'), type?.getAttribute('value')]).toEqual(['hidden', 'commenttype', 'comment']);
    const visible = block?.querySelector('input#js-comment-clientvisible');
    expect(visible?.getAttribute('name')).toBe('clientvisible');
    expect(visible?.hasAttribute('checked')).toBe(true);
    expect(visible?.closest('label')?.textContent?.trim()).toBe('Visible in client cabinet');
    expect(parse(html).querySelectorAll('script')).toHaveLength(1);
  }

  function expectFormComposer(html: string): void {
    const { form, textarea, button } = composerOf(html);
    expect(form?.getAttribute('data-orderid')).not.toBeNull();
    expect(textarea?.getAttribute('name')).toBe('postcomment');
    expect(button?.getAttribute('type')).toBe('submit');
  }

  it("with the composer quirk 'button' (set on the handle) the comment block has no form, a button and postcomment[]", async () => {
    expectFormComposer((await page('/101/')).html);
    sb.quirks.composer = 'button';
    expectButtonComposer((await page('/101/')).html, '101');
    expectButtonComposer((await page('/admin/shop/orders/102/')).html, '102');
    expectButtonComposer((await page('/admin/customorder/order/103/edit/')).html, '103');
    // The query overrides the quirk for one page load.
    expectFormComposer((await page('/101/?composer=form')).html);
    sb.quirks.composer = 'form';
    expectFormComposer((await page('/101/')).html);
  });

  it("with the composer quirk 'button' set over POST /__sandbox/quirks the order page has the button composer", async () => {
    const res = await fetch(`${sb.url}/__sandbox/quirks`, { method: 'POST', body: JSON.stringify({ composer: 'button' }) });
    expect(res.status).toBe(200);
    expectButtonComposer((await page('/104/')).html, '104');
    expect(parse((await page('/')).html).querySelectorAll('a.ob-order-link')).toHaveLength(5);
  });

  it('?composer=button picks the button composer for one page load; the quirk decides without it', async () => {
    expectButtonComposer((await page('/101/?composer=button')).html, '101');
    expectButtonComposer((await page('/101/?as=ivan&composer=button')).html, '101');
    expectFormComposer((await page('/101/')).html);
    expectFormComposer((await page('/101/?composer=form')).html);
    // No composer at all in the unfamiliar layout, whatever the variant.
    expect(composerOf((await page('/101/?layout=unfamiliar&composer=button')).html).block).toBeNull();
    for (const bad of ['/101/?composer=modal', '/101/?composer=', '/admin/shop/orders/101/?composer=BUTTON']) {
      const refused = await page(bad);
      expect(refused.status).toBe(400);
      expect(refused.html).toContain('400 Bad Request');
    }
    expect(sb.quirks.composer).toBe('form');
  });

  it('/admin/comment/add/ accepts the text as postcomment[] (the modern composer) as well as postcomment', async () => {
    const cookie = cookieOf((await page('/101/?as=ivan')).setCookie);
    const added = await addViaPage({ orderid: '101', 'postcomment[]': 'From the modern composer\nline 2', commenttype: 'comment', clientvisible: '1' }, cookie);
    expect(added).toEqual({ status: 200, json: { status: 1, id: '1015' } });
    expect(sb.state.comments.at(-1)).toMatchObject({ id: '1015', orderid: '101', userid: '2', clientvisible: '1', type: 'comment', content: 'From the modern composer\nline 2' });
    expect((await addViaPage({ orderid: '101', 'postcomment[]': '  ' }, cookie)).status).toBe(400);
    expect((await addViaPage({ orderid: '101', 'postcomment[]': 'no session' })).status).toBe(403);
    // Both names sent: postcomment is the text.
    await addViaPage({ orderid: '101', postcomment: 'plain name', 'postcomment[]': 'array name' }, cookie);
    expect(sb.state.comments.at(-1)?.content).toBe('plain name');
    expect(sb.state.comments).toHaveLength(16);
  });

  it("the page's own script posts a comment and reloads the list (submit and Ctrl+Enter)", async () => {
    const browser = new Browser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    try {
      const tab = browser.newPage();
      await tab.goto(`${sb.url}/103/?as=ivan`);
      await tab.waitUntilComplete();
      const doc = tab.mainFrame.document;
      const text = doc.querySelector('#js-postcomment') as unknown as { value: string };
      const visible = doc.querySelector('#js-comment-clientvisible') as unknown as { checked: boolean };
      const form = doc.querySelector('.ob-comment-add form');
      if (!form) throw new Error('composer form missing');

      text.value = 'Posted by the page\nsecond line';
      form.dispatchEvent(new tab.mainFrame.window.Event('submit', { cancelable: true, bubbles: true }));
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ orderid: '103', userid: '2', clientvisible: '1', content: 'Posted by the page\nsecond line' });
      expect(text.value).toBe('');
      const last = [...doc.querySelectorAll('.ob-block-comments .js-item-comment')].at(-1);
      expect(last?.classList.contains('my-comment')).toBe(true);
      expect(last?.querySelector('.cbody')?.innerHTML).toBe('Posted by the page<br>second line');

      text.value = 'Private by Ctrl+Enter';
      visible.checked = false;
      const textarea = doc.querySelector('#js-postcomment');
      textarea?.dispatchEvent(new tab.mainFrame.window.KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ content: 'Private by Ctrl+Enter', clientvisible: '0', userid: '2' });
      expect(doc.querySelectorAll('.ob-block-comments .js-item-comment')).toHaveLength(4);
    } finally {
      await browser.close();
    }
  });

  it("the button composer's script posts on click, Enter and Ctrl/Cmd+Enter, keeps Shift+Enter, never submits", async () => {
    sb.quirks.composer = 'button';
    const browser = new Browser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    try {
      const tab = browser.newPage();
      await tab.goto(`${sb.url}/103/?as=ivan`);
      await tab.waitUntilComplete();
      const win = tab.mainFrame.window;
      const doc = tab.mainFrame.document;
      expect(doc.querySelector('.ob-comment-add form')).toBeNull();
      let submits = 0;
      doc.addEventListener('submit', () => submits++, true);
      const textarea = doc.querySelector('textarea[name="postcomment[]"]');
      const button = doc.querySelector('.ob-comment-add button.js-comment-submit') as unknown as { click(): void } | null;
      if (!textarea || !button) throw new Error('button composer missing');
      const text = textarea as unknown as { value: string };
      const visible = doc.querySelector('#js-comment-clientvisible') as unknown as { checked: boolean };
      const commentCount = (): number => doc.querySelectorAll('.ob-block-comments .js-item-comment').length;
      const before = commentCount();
      // What the page sends: the text under the modern composer's field name.
      const sentFields: string[][] = [];
      const pageFetch = win.fetch.bind(win);
      win.fetch = ((input: string, init?: { body?: unknown }) => {
        if (String(input).startsWith('/admin/comment/add/')) sentFields.push([...new URLSearchParams(String(init?.body)).keys()]);
        return pageFetch(input, init as never);
      }) as typeof win.fetch;
      const press = (init: Record<string, boolean>): boolean =>
        textarea.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }));

      text.value = 'Posted by the button\nsecond line';
      button.click();
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ orderid: '103', userid: '2', clientvisible: '1', content: 'Posted by the button\nsecond line' });
      expect(text.value).toBe('');
      const last = [...doc.querySelectorAll('.ob-block-comments .js-item-comment')].at(-1);
      expect(last?.classList.contains('my-comment')).toBe(true);
      expect(last?.querySelector('.cbody')?.innerHTML).toBe('Posted by the button<br>second line');
      expect(commentCount()).toBe(before + 1);

      // Shift+Enter is left to the browser (a new line): not cancelled, nothing posted.
      const stored = sb.state.comments.length;
      text.value = 'first line';
      expect(press({ shiftKey: true })).toBe(true);
      await tab.waitUntilComplete();
      expect(sb.state.comments).toHaveLength(stored);
      expect(text.value).toBe('first line');

      // Plain Enter posts, with the default (a new line) prevented.
      text.value = 'Sent by Enter';
      visible.checked = false;
      expect(press({})).toBe(false);
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ content: 'Sent by Enter', clientvisible: '0', userid: '2' });
      expect(text.value).toBe('');

      text.value = 'Sent by Ctrl+Enter';
      visible.checked = true;
      expect(press({ ctrlKey: true })).toBe(false);
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ content: 'Sent by Ctrl+Enter', clientvisible: '1' });

      text.value = 'Sent by Cmd+Enter';
      expect(press({ metaKey: true })).toBe(false);
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ content: 'Sent by Cmd+Enter' });

      expect(commentCount()).toBe(before + 4);
      expect(sb.state.comments).toHaveLength(stored + 3);
      expect(submits).toBe(0);
      expect(sentFields).toHaveLength(4);
      for (const fields of sentFields) expect(fields.sort()).toEqual(['clientvisible', 'commenttype', 'orderid', 'postcomment[]']);
    } finally {
      await browser.close();
    }
  });

  it('?blocks=late serves a placeholder; the block comes from its own address after blockDelayMs, for the session user', async () => {
    const { html, setCookie } = await page('/101/?blocks=late&composer=button');
    const doc = parse(html);
    expect(doc.querySelector('.ob-comment-block')?.getAttribute('data-blocks')).toBe('late');
    expect(doc.querySelector('.ob-block-comments')).toBeNull();
    expect(doc.querySelector('.ob-comment-add')).toBeNull();
    expect(doc.querySelector('.ob-order-header')).not.toBeNull();
    const block = '/admin/block/order/comment/get/ajax/?orderid=101&composer=button';
    expect((await page(block)).status).toBe(403);
    const cookie = cookieOf(setCookie);
    expect((await page('/admin/block/order/comment/get/ajax/?orderid=101&composer=modal', cookie)).status).toBe(404);
    sb.quirks.blockDelayMs = 300;
    const started = Date.now();
    const fragment = await page(block, cookie);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fragment.html).not.toContain('<html');
    const drawn = parse(fragment.html);
    expect(drawn.querySelector('.ob-comment-add textarea#js-postcomment')?.getAttribute('name')).toBe('postcomment[]');
    expect(drawn.querySelector('.ob-comment-add button.js-comment-submit')?.getAttribute('data-orderid')).toBe('101');
    expect(drawn.querySelectorAll('.ob-block-comments .js-item-comment.my-comment')).toHaveLength(1);
    expect(parse((await page('/101/')).html).querySelector('.ob-comment-block .ob-block-comments')).not.toBeNull();
    for (const bad of ['/101/?blocks=lazy', '/101/?blocks=']) expect((await page(bad)).status).toBe(400);
    sb.quirks.blocks = 'late';
    expect(parse((await page('/101/')).html).querySelector('.ob-block-comments')).toBeNull();
  });

  it("the late block's script draws it after the first HTML, and anew (new nodes) after a post and on obReloadComments(), keeping a draft", async () => {
    sb.quirks.blockDelayMs = 0;
    const browser = new Browser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    try {
      const tab = browser.newPage();
      await tab.goto(`${sb.url}/103/?as=ivan&blocks=late&composer=button`);
      await tab.waitUntilComplete();
      const win = tab.mainFrame.window as unknown as { obReloadComments(): Promise<void> };
      const doc = tab.mainFrame.document;
      const list = () => doc.querySelector('.ob-block-comments');
      const text = () => doc.querySelector('textarea[name="postcomment[]"]') as unknown as { value: string } | null;
      const first = list();
      expect(first?.querySelectorAll('.js-item-comment').length).toBeGreaterThan(0);
      const before = first!.querySelectorAll('.js-item-comment').length;

      text()!.value = 'Posted from the late block';
      (doc.querySelector('.ob-comment-add button.js-comment-submit') as unknown as { click(): void }).click();
      await tab.waitUntilComplete();
      expect(sb.state.comments.at(-1)).toMatchObject({ orderid: '103', userid: '2', content: 'Posted from the late block' });
      const second = list();
      expect(second).not.toBe(first);
      expect(second?.querySelectorAll('.js-item-comment')).toHaveLength(before + 1);
      expect(text()?.value).toBe('');

      const composer = text();
      composer!.value = 'a draft';
      await win.obReloadComments();
      expect(list()).not.toBe(second);
      expect(text()).not.toBe(composer);
      expect(text()?.value).toBe('a draft');
    } finally {
      await browser.close();
    }
  });

  it("the form composer's plain Enter and Shift+Enter stay new lines (only Ctrl/Cmd+Enter posts)", async () => {
    const browser = new Browser({ settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    try {
      const tab = browser.newPage();
      await tab.goto(`${sb.url}/103/`);
      await tab.waitUntilComplete();
      const win = tab.mainFrame.window;
      const textarea = tab.mainFrame.document.querySelector('.ob-comment-add form textarea[name="postcomment"]');
      if (!textarea) throw new Error('form composer missing');
      (textarea as unknown as { value: string }).value = 'not yet';
      const stored = sb.state.comments.length;
      for (const init of [{}, { shiftKey: true }]) {
        expect(textarea.dispatchEvent(new win.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }))).toBe(true);
      }
      await tab.waitUntilComplete();
      expect(sb.state.comments).toHaveLength(stored);
    } finally {
      await browser.close();
    }
  });
});

describe('seeds and options', () => {
  it('the name gives the slug and the employee emails', async () => {
    const other = await startSandbox({ name: 'Buyer B', seed: 'empty' });
    try {
      expect(other.slug).toBe('buyer-b');
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(other.state.orders).toEqual([]);
      expect(other.state.comments).toEqual([]);
      expect(other.state.contacts.map((c) => c.id)).toEqual(['1', '2', '3']);
      expect(other.state.contacts.map((c) => c.emails[0])).toEqual(['olena@buyer-b.example', 'ivan@buyer-b.example', 'sync@buyer-b.example']);
      expect(other.state.statuses).toHaveLength(6);
      expect(other.state.customFields.map((f) => f.key)).toEqual(['deadline', 'partner_deadline', 'delivery_terms', 'budget']);
      const res = await fetch(`${other.url}/api/v2/token/get/`, { method: 'POST', body: JSON.stringify({ login: 'ivan', restapipassword: 'ivan-secret' }) });
      expect(res.status).toBe(200);
      // Ids of an empty box start where the demo ones do.
      const token = ((await res.json()) as { dataArray: { token: string } }).dataArray.token;
      const created = await fetch(`${other.url}/api/v2/order/set/`, { method: 'POST', headers: { token }, body: JSON.stringify([{ workflowid: 12, statusid: 56 }]) });
      expect(((await created.json()) as Envelope).dataArray).toEqual(['101']);
    } finally {
      await other.close();
    }
  });

  it('the demo seed has orders 101-105 with 2-4 comments each and ids from 1001', () => {
    expect(sb.name).toBe('Supplier A');
    expect(sb.slug).toBe('supplier-a');
    expect(sb.state.orders.map((o) => o.id)).toEqual(['101', '102', '103', '104', '105']);
    for (const order of sb.state.orders) {
      const count = sb.state.comments.filter((c) => c.orderid === order.id && c.type === 'comment').length;
      expect(count).toBeGreaterThanOrEqual(2);
      expect(count).toBeLessThanOrEqual(4);
    }
    expect(sb.state.comments[0]?.id).toBe('1001');
    expect(sb.state.contacts.filter((c) => c.employee === '0').map((c) => c.id)).toEqual(['20', '21', '22', '23']);
  });

  it('ids keep growing even when a test removes records', async () => {
    const token = await login();
    sb.state.orders.splice(0);
    expect((await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['106']);
    sb.state.orders.splice(0);
    expect((await api('order', 'set', [{ workflowid: 12, statusid: 56 }], token)).json.dataArray).toEqual(['107']);
  });

  it('refuses a non-loopback host', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startSandbox({ host: '192.168.1.10' })).rejects.toThrow(/loopback/);
  });
});
