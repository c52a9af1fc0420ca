// The OneBox client against the sandbox over HTTP: every operation, with the keyed-writes
// quirk off and on, and in both read dialects. Faults, tokens, timeouts and throttling are in
// onebox-faults.test.ts; dialect discovery in onebox-dialect.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { SandboxDialect } from '../sandbox/index.ts';
import { useSandbox } from '../support/use-sandbox.ts';
import {
  OneBoxError,
  createInMemoryMemory,
  createOneBoxClient,
  normaliseBoxUrl,
  type BoxDialect,
  type KeyValueMemory,
  type OneBoxClient,
} from '../../src/onebox/index.ts';
import { CLIENT_DIALECT } from '../support/boxes.ts';

const PASSWORD = 'sync-secret';
const sandbox = useSandbox({ name: 'Supplier A' });


function client(memory: KeyValueMemory = createInMemoryMemory(), password = PASSWORD, dialect?: BoxDialect): OneBoxClient {
  return createOneBoxClient(
    { url: sandbox.url, login: 'partner-sync', restApiPassword: password },
    { memory, perSecond: 1000, inFlight: 4, ...(dialect ? { dialect } : {}) },
  );
}

async function rejection(promise: Promise<unknown>): Promise<OneBoxError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OneBoxError);
    return error as OneBoxError;
  }
  throw new Error('expected the call to fail');
}

const calls = (route: string, since = 0) => sandbox.log.slice(since).filter((call) => `${call.entity}/${call.action}` === route);

describe('token', () => {
  it('issues a token once and reuses it from memory', async () => {
    const memory = createInMemoryMemory();
    const box = client(memory);
    expect(box.origin).toBe(normaliseBoxUrl(sandbox.url));
    const start = sandbox.log.length;
    const token = await box.getToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(await box.getToken()).toBe(token);
    // A second client on the same memory (a restarted worker) reuses it too.
    expect(await client(memory).getToken()).toBe(token);
    expect(calls('token/get', start)).toHaveLength(1);
    expect(sandbox.log[start]?.body).toEqual({ login: 'partner-sync', restapipassword: '***' });
  });

  it('shares one token/get among parallel first calls', async () => {
    const start = sandbox.log.length;
    const box = client();
    await Promise.all([box.listWorkflows(), box.listWorkflows(), box.listStatuses('3')]);
    expect(calls('token/get', start)).toHaveLength(1);
  });

  it('a wrong password is auth, with the box text and no secret in the error', async () => {
    const memory = createInMemoryMemory();
    const error = await rejection(client(memory, 'wrong-password-123').listWorkflows());
    expect(error.kind).toBe('auth');
    expect(error.messageKey).toBe('error_auth');
    expect(error.endpoint).toBe('token/get');
    expect(error.detail).toBe('Invalid login or restapipassword');
    expect(error.httpStatus).toBe(400);
    for (const text of [String(error), error.message, JSON.stringify(error), error.stack ?? '']) expect(text).not.toContain('wrong-password-123');
  });
});

// One sandbox for all: `run` keeps each one's new records (emails, phones, external ids) apart.
const OPERATION_BOXES: { run: number; keyedWrites: boolean; dialect: SandboxDialect }[] = [
  { run: 1, keyedWrites: false, dialect: 'wrapped' },
  { run: 2, keyedWrites: true, dialect: 'wrapped' },
  { run: 3, keyedWrites: false, dialect: 'top-level' },
];

describe.each(OPERATION_BOXES)('operations with keyedWrites=$keyedWrites, dialect $dialect', ({ run, keyedWrites, dialect }) => {
  let box: OneBoxClient;
  const speaking = () => client(createInMemoryMemory(), PASSWORD, CLIENT_DIALECT[dialect]);
  beforeEach(() => {
    sandbox.quirks.keyedWrites = keyedWrites;
    sandbox.quirks.dialect = dialect;
    box = speaking();
  });

  it('lists business processes', async () => {
    expect(await box.listWorkflows()).toEqual([
      { id: '3', name: 'Sales' },
      { id: '12', name: 'Orders from partners' },
    ]);
  });

  it('lists the stages of one process, marking the start stage', async () => {
    expect(await box.listStatuses('12')).toEqual([
      { id: '56', name: 'New', workflowId: '12', isStart: true },
      { id: '57', name: 'In progress', workflowId: '12', isStart: false },
      { id: '58', name: 'Done', workflowId: '12', isStart: false },
    ]);
    expect(await box.listStatuses('999')).toEqual([]);
  });

  it('finds an employee by email, and nobody else', async () => {
    const ivan = await box.findEmployeeByEmail(' IVAN@supplier-a.example ');
    expect(ivan).toMatchObject({ id: '2', name: 'Ivan', namelast: 'Petrenko', emails: ['ivan@supplier-a.example'] });
    expect(await box.findEmployeeByEmail('sync@supplier-a.example')).toMatchObject({ id: '3' });
    expect(await box.findEmployeeByEmail('nobody@supplier-a.example')).toBeNull();
    // A client contact with that email is not an employee.
    expect(await box.findEmployeeByEmail('andriy@budmaister.example')).toBeNull();
    expect(await box.findEmployeeByEmail('')).toBeNull();
  });

  it('finds or creates a contact by email or phone without duplicates', async () => {
    const before = sandbox.state.contacts.length;
    expect(await box.findOrCreateContact({ name: 'Андрій', email: 'ANDRIY@budmaister.example' })).toBe('20');
    expect(await box.findOrCreateContact({ name: 'Someone', phone: '+380 (50) 123-45-67' })).toBe('20');
    expect(sandbox.state.contacts).toHaveLength(before);
    // Found contacts are returned as they are, not rewritten.
    expect(sandbox.state.contacts.find((c) => c.id === '20')?.name).toBe('Андрій');

    const email = `new-${run}@buyer.example`;
    const created = await box.findOrCreateContact({ name: 'Nova', namelast: 'Buyer', email, phone: '+380991112233' });
    expect(await box.findOrCreateContact({ name: 'Nova', email })).toBe(created);
    expect(sandbox.state.contacts).toHaveLength(before + 1);
    expect(sandbox.state.contacts.find((c) => c.id === created)).toMatchObject({
      name: 'Nova', namelast: 'Buyer', typesex: 'person', emails: [email], phones: ['+380991112233'],
    });
    const company = await box.findOrCreateContact({ name: `Firm ${run}`, phone: `+38044000000${run}`, company: true });
    expect(sandbox.state.contacts.find((c) => c.id === company)?.typesex).toBe('company');

    const error = await rejection(box.findOrCreateContact({ name: 'No key' }));
    expect([error.kind, error.messageKey]).toEqual(['config', 'error_contact_needs_key']);
  });

  it('gets a contact by id', async () => {
    expect(await box.getContact('21')).toEqual({
      id: '21', name: 'Maria', namelast: 'Bondar', emails: ['maria.bondar@example.com'], phones: ['+380672223344'],
    });
    expect(await box.getContact('999999')).toBeNull();
  });

  it('lists the ids of the orders in one stage', async () => {
    expect(await box.listOrderIdsInStage('3', '8')).toEqual(expect.arrayContaining(['101', '104']));
    expect((await box.listOrderIdsInStage('3', '9')).slice(0, 2)).toEqual(['102', '105']);
    expect(await box.listOrderIdsInStage('12', '58')).toEqual([]);
  });

  it('gets an order with the fields asked for, custom fields included', async () => {
    const order = await box.getOrder('101', ['name', 'statusid', 'workflowid', 'managerid', 'clientid', 'cdate', 'customfields']);
    expect(order).toMatchObject({
      id: '101', name: 'Steel brackets, 500 pcs', statusId: '8', workflowId: '3', managerId: '1', clientId: '20', externalId: null,
    });
    expect(order?.customFields).toMatchObject({ delivery_terms: 'DAP', budget: '12000', partner_deadline: '' });
    expect(order?.createdAtRaw).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(order?.createdAt).toEqual(expect.any(Number));

    const flat = await box.getOrder('103', ['customorder_budget', 'customorder_delivery_terms']);
    expect(flat?.customFields).toEqual({ budget: '45500.5', delivery_terms: 'DDP' });
    expect(flat?.fields).toEqual({ id: '103', customorder_budget: '45500.5', customorder_delivery_terms: 'DDP' });
    expect(flat?.name).toBeNull();

    expect(await box.getOrder('999999', ['name'])).toBeNull();
    const unknown = await rejection(box.getOrder('101', ['customorder_no_such_field']));
    expect([unknown.kind, unknown.messageKey]).toEqual(['config', 'error_unknown_field']);
    expect(unknown.detail).toContain('Unknown field customorder_no_such_field');
  });

  it('upserts an order by externalid: creates once, then updates', async () => {
    const externalId = `supplier-a:101:${run}`;
    const client20 = await box.findOrCreateContact({ name: 'Андрій', email: 'andriy@budmaister.example' });
    const before = sandbox.state.orders.length;
    const id = await box.upsertOrder({
      externalId, workflowId: '12', statusId: '56', name: 'Steel brackets', description: 'From Supplier A',
      managerId: '2', clientId: client20, customFields: { partner_deadline: '2026-12-12', delivery_terms: 'DAP' },
    });
    expect(sandbox.state.orders).toHaveLength(before + 1);
    expect(sandbox.state.orders.find((o) => o.id === id)).toMatchObject({
      externalid: externalId, workflowid: '12', statusid: '56', managerid: '2', clientid: '20', name: 'Steel brackets',
    });
    expect(sandbox.state.orders.find((o) => o.id === id)?.customfields).toMatchObject({ partner_deadline: '2026-12-12', delivery_terms: 'DAP' });

    expect(await box.upsertOrder({ externalId, name: 'Steel brackets, updated', statusId: '57' })).toBe(id);
    expect(sandbox.state.orders).toHaveLength(before + 1);
    expect(sandbox.state.orders.find((o) => o.id === id)).toMatchObject({ name: 'Steel brackets, updated', statusid: '57', managerid: '2' });

    const found = await box.findOrderByExternalId(externalId);
    expect(found).toMatchObject({ id, externalId, name: 'Steel brackets, updated', statusId: '57', workflowId: '12' });
    expect(found?.customFields.partner_deadline).toBe('2026-12-12');
    expect(await box.findOrderByExternalId('no-such-external-id')).toBeNull();
  });

  it('turns a refused order into a config error naming what was wrong', async () => {
    const base = { externalId: `bad:${run}`, workflowId: '12', statusId: '56' };
    const before = sandbox.state.orders.length;
    const cases = [
      [{ ...base, workflowId: '999' }, 'error_unknown_workflow'],
      [{ ...base, statusId: '8' }, 'error_unknown_status'],
      [{ ...base, managerId: '20' }, 'error_unknown_employee'],
      [{ ...base, customFields: { no_such_field: 'x' } }, 'error_unknown_field'],
      [{ ...base, customFields: { delivery_terms: 'CIF' } }, 'error_unknown_field'],
      [{ externalId: `new:${run}`, name: 'No process' }, 'error_unknown_workflow'],
    ] as const;
    for (const [record, messageKey] of cases) {
      const error = await rejection(box.upsertOrder(record));
      expect(error.kind, messageKey).toBe('config');
      expect(error.messageKey).toBe(messageKey);
      expect(error.endpoint).toBe('order/set');
      expect(error.detail).toBeTruthy();
    }
    expect(sandbox.state.orders).toHaveLength(before);
    const empty = await rejection(box.upsertOrder({ externalId: ' ', workflowId: '12', statusId: '56' }));
    expect(empty.kind).toBe('config');
  });

  it('lists comments oldest first, only comments, after a given id', async () => {
    const comments = await box.listComments('101');
    expect(comments.slice(0, 3).map((c) => c.id)).toEqual(['1001', '1002', '1004']); // 1003 is a stage change
    expect(comments[0]).toMatchObject({
      id: '1001', orderId: '101', content: 'Доброго дня! Коли буде відвантаження?', authorId: '20', authorName: 'Андрій Шевченко', clientVisible: true,
    });
    expect(comments[2]?.clientVisible).toBe(false);
    expect(comments[1]?.content).toBe('Good afternoon! We plan to ship next week.\nI will confirm the date on Monday.');
    expect(comments[0]?.createdAt).toBeLessThan(comments[1]!.createdAt!);
    expect(comments[0]?.createdAtRaw).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect((await box.listComments('101', '1002')).map((c) => c.id)[0]).toBe('1004');
    expect(await box.listComments('999999')).toEqual([]);
  });

  it('reads the newest comments of an order with more than one page of them', async () => {
    const box = speaking();
    const orderId = await box.upsertOrder({ externalId: `many-comments-${run}`, workflowId: '3', statusId: '8', name: 'Many comments' });
    const ids: string[] = [];
    for (let i = 1; i <= 520; i++) ids.push(await box.addComment(orderId, `comment ${i}`, true));
    const after = await box.listComments(orderId, ids[509]);
    expect(after.map((c) => c.content)).toEqual(Array.from({ length: 10 }, (_, i) => `comment ${511 + i}`));
  });

  it('compares comment ids as numbers', async () => {
    // Ids across a digit boundary: "10000" > "9999" although it sorts before it as text.
    const at = '2026-11-28 12:00:00';
    for (const id of ['10000', '9999', '10001']) {
      sandbox.state.comments.push({ id, orderid: '104', type: 'comment', content: `c${id}`, userid: '1', clientvisible: '1', cdate: at });
    }
    try {
      expect((await box.listComments('104', '9999')).map((c) => c.id)).toEqual(['10000', '10001']);
      const all = (await box.listComments('104')).map((c) => c.id);
      expect(all.slice(-3)).toEqual(['9999', '10000', '10001']);
    } finally {
      sandbox.state.comments = sandbox.state.comments.filter((c) => !['9999', '10000', '10001'].includes(c.id));
    }
  });

  it('adds a comment with its client visibility, exactly as written', async () => {
    const text = `<b>not markup</b> & "quotes" ${run}`;
    const hidden = await box.addComment('102', text, false);
    const shown = await box.addComment('102', 'visible', true);
    expect(sandbox.state.comments.find((c) => c.id === hidden)).toMatchObject({ orderid: '102', content: text, clientvisible: '0', userid: '3', type: 'comment' });
    expect(sandbox.state.comments.find((c) => c.id === shown)?.clientvisible).toBe('1');
    const listed = await box.listComments('102', hidden);
    expect(listed.map((c) => [c.id, c.clientVisible])).toEqual([[shown, true]]);
    const error = await rejection(box.addComment('999999', 'to nowhere', true));
    expect([error.kind, error.endpoint]).toEqual(['config', dialect === 'wrapped' ? 'comment/set' : 'order/comments/set']);
  });
});

describe('keyed writes', () => {
  it('falls back to the keyed object once, then remembers it per box', async () => {
    sandbox.quirks.keyedWrites = true;
    const memory = createInMemoryMemory();
    const start = sandbox.log.length;
    const box = client(memory);
    await box.addComment('105', 'first', true);
    const sets = calls('comment/set', start);
    expect(sets).toHaveLength(2);
    expect(Array.isArray(sets[0]?.body)).toBe(true);
    expect(sets[1]?.body).toEqual({ 0: { orderid: 105, content: 'first', clientvisible: 1 } });

    // Later writes, of any entity and from another client on the same memory, go keyed at once.
    const mark = sandbox.log.length;
    await box.upsertOrder({ externalId: 'keyed:1', workflowId: '12', statusId: '56', name: 'K' });
    await client(memory).addComment('105', 'second', true);
    const later = sandbox.log.slice(mark).filter((call) => call.action === 'set');
    expect(later).toHaveLength(2);
    expect(later.every((call) => !Array.isArray(call.body))).toBe(true);
    expect(sandbox.state.comments.filter((c) => c.orderid === '105' && ['first', 'second'].includes(c.content))).toHaveLength(2);
  });

  it('sends the documented bare array to a box that takes it', async () => {
    const start = sandbox.log.length;
    await client().addComment('105', 'plain', true);
    const sets = calls('comment/set', start);
    expect(sets).toHaveLength(1);
    expect(sets[0]?.body).toEqual([{ orderid: 105, content: 'plain', clientvisible: 1 }]);
  });
});

describe('probe', () => {
  it('reports every call the settings rely on, tagged', async () => {
    const results = await client().probe({ workflowId: '12', statusId: '57', assigneeEmail: 'ivan@supplier-a.example', orderId: '101' });
    expect(results.map((r) => [r.call, r.endpoint, r.tag, r.ok])).toEqual([
      ['token', 'token/get', 'documented', true],
      ['workflows', 'workflow/get', 'documented', true],
      ['statuses', 'status/get', 'assumed', true],
      ['employee', 'contact/get', 'assumed', true],
      ['order', 'order/get', 'documented', true],
      ['comments', 'comment/get', 'assumed', true],
    ]);
  });

  it('says which setting is wrong, without throwing', async () => {
    const wrongStatus = await client().probe({ workflowId: '12', statusId: '9', assigneeEmail: 'nobody@x.example' });
    expect(wrongStatus.find((r) => r.call === 'statuses')).toMatchObject({ ok: false, messageKey: 'error_unknown_status' });
    expect(wrongStatus.find((r) => r.call === 'employee')).toMatchObject({ ok: false, messageKey: 'error_unknown_employee' });
    expect(wrongStatus.find((r) => r.call === 'order')?.ok).toBe(true);
    const wrongWorkflow = await client().probe({ workflowId: '77' });
    expect(wrongWorkflow.find((r) => r.call === 'workflows')).toMatchObject({ ok: false, messageKey: 'error_unknown_workflow' });
    expect(wrongWorkflow.find((r) => r.call === 'statuses')).toMatchObject({ ok: false, messageKey: 'error_unknown_workflow' });
  });

  it('with a wrong password: token fails with the box text, the rest are skipped', async () => {
    const start = sandbox.log.length;
    const results = await client(createInMemoryMemory(), 'bad-password-456').probe({ workflowId: '12' });
    expect(results[0]).toMatchObject({ call: 'token', ok: false, messageKey: 'error_auth', message: 'Invalid login or restapipassword' });
    expect(results.slice(1).every((r) => !r.ok && r.messageKey === 'error_probe_skipped')).toBe(true);
    expect(sandbox.log.length - start).toBe(1);
    expect(JSON.stringify(results)).not.toContain('bad-password-456');
  });

  it('takes a fresh token even when one is cached', async () => {
    const memory = createInMemoryMemory();
    const box = client(memory);
    const cached = await box.getToken();
    await box.probe({});
    expect(await box.getToken()).not.toBe(cached);
  });

  it('reports a login page instead of the API as such', async () => {
    sandbox.faults.garbageNext('html');
    const results = await client().probe({});
    expect(results[0]).toMatchObject({ call: 'token', ok: false, messageKey: 'error_html_page' });
    expect(results.slice(1).map((r) => r.messageKey)).toEqual(['error_probe_skipped', 'error_probe_skipped', 'error_probe_skipped']);
  });
});
