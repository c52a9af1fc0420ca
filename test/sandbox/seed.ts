// Initial data of a box. 'demo' is a small supplier box with orders and talk; 'empty' keeps
// only what every box has configured (employees, business processes, stages, fields).
import { formatDate } from './state.ts';
import type { CommentRecord, CommentType, ContactRecord, OrderRecord, SandboxState } from './types.ts';

export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'box' : slug;
}

const DAY = 24 * 3600 * 1000;

function contact(
  id: string,
  name: string,
  namelast: string,
  extra: Partial<Pick<ContactRecord, 'typesex' | 'phones' | 'emails' | 'employee' | 'company'>>,
  cdate: string,
): ContactRecord {
  return {
    id,
    name,
    namelast,
    typesex: extra.typesex ?? 'person',
    phones: extra.phones ?? [],
    emails: extra.emails ?? [],
    employee: extra.employee ?? '0',
    company: extra.company ?? '',
    cdate,
  };
}

function baseState(slug: string, now: number): SandboxState {
  const created = formatDate(new Date(now - 400 * DAY));
  const staff = (id: string, name: string, last: string, mail: string): ContactRecord =>
    contact(id, name, last, { employee: '1', emails: [`${mail}@${slug}.example`] }, created);
  return {
    orders: [],
    comments: [],
    contacts: [
      staff('1', 'Olena', 'Kovalenko', 'olena'),
      staff('2', 'Ivan', 'Petrenko', 'ivan'),
      staff('3', 'Partner', 'Sync', 'sync'),
    ],
    employees: [
      { id: '1', login: 'olena', restapipassword: 'olena-secret' },
      { id: '2', login: 'ivan', restapipassword: 'ivan-secret' },
      { id: '3', login: 'partner-sync', restapipassword: 'sync-secret' },
    ],
    workflows: [
      { id: '3', name: 'Sales' },
      { id: '12', name: 'Orders from partners' },
    ],
    statuses: [
      { id: '8', name: 'New', workflowid: '3', startstatus: '1', sort: '1' },
      { id: '9', name: 'Ready to ship', workflowid: '3', startstatus: '0', sort: '2' },
      { id: '10', name: 'Shipped', workflowid: '3', startstatus: '0', sort: '3' },
      { id: '56', name: 'New', workflowid: '12', startstatus: '1', sort: '1' },
      { id: '57', name: 'In progress', workflowid: '12', startstatus: '0', sort: '2' },
      { id: '58', name: 'Done', workflowid: '12', startstatus: '0', sort: '3' },
    ],
    customFields: [
      { key: 'deadline', name: 'Deadline', type: 'date', options: [] },
      { key: 'partner_deadline', name: 'Partner deadline', type: 'date', options: [] },
      { key: 'delivery_terms', name: 'Delivery terms', type: 'dropdown', options: ['EXW', 'DAP', 'DDP'] },
      { key: 'budget', name: 'Budget', type: 'number', options: [] },
    ],
  };
}

interface DemoOrder {
  name: string;
  description: string;
  statusid: string;
  clientid: string;
  managerid: string;
  daysAgo: number;
  fields: Partial<Record<'deadline' | 'partner_deadline' | 'delivery_terms' | 'budget', string>>;
  feed: [CommentType, string, string, '0' | '1'][]; // type, userid, content, clientvisible
}

function dateOnly(ms: number): string {
  return formatDate(new Date(ms)).slice(0, 10);
}

function demoOrders(now: number): DemoOrder[] {
  const soon = (days: number): string => dateOnly(now + days * DAY);
  return [
    {
      name: 'Steel brackets, 500 pcs',
      description: 'Galvanised, M8 holes. Pallets of 100.',
      statusid: '8',
      clientid: '20',
      managerid: '1',
      daysAgo: 6,
      fields: { deadline: soon(14), delivery_terms: 'DAP', budget: '12000' },
      feed: [
        ['comment', '20', 'Доброго дня! Коли буде відвантаження?', '1'],
        ['comment', '1', 'Good afternoon! We plan to ship next week.\nI will confirm the date on Monday.', '1'],
        ['change', '1', 'Stage: New', '0'],
        ['comment', '2', 'Internal: check the stock of M8 first.', '0'],
      ],
    },
    {
      name: 'Packaging film rolls',
      description: '',
      statusid: '9',
      clientid: '21',
      managerid: '2',
      daysAgo: 4,
      fields: { deadline: soon(3), delivery_terms: 'EXW' },
      feed: [
        ['comment', '2', 'The rolls are packed and ready.', '1'],
        ['notify', '2', 'Email notification sent to maria.bondar@example.com', '0'],
        ['comment', '21', 'Thanks, our driver comes on Thursday.', '1'],
      ],
    },
    {
      name: 'Замовлення: кріплення для полиць',
      description: 'Кріплення для складських полиць, 2 000 шт.',
      statusid: '10',
      clientid: '23',
      managerid: '1',
      daysAgo: 20,
      fields: { deadline: soon(-5), delivery_terms: 'DDP', budget: '45500.5' },
      feed: [
        ['comment', '20', 'Прошу надіслати рахунок на ТОВ «Будмайстер».', '1'],
        ['comment', '1', 'Рахунок надіслано на пошту.', '1'],
        ['change', '1', 'Stage: Ready to ship → Shipped', '0'],
      ],
    },
    {
      name: 'Sample kit for Buyer B',
      description: 'Free samples.',
      statusid: '8',
      clientid: '22',
      managerid: '2',
      daysAgo: 2,
      fields: {},
      feed: [
        ['comment', '1', 'Ivan, please prepare the kit.', '0'],
        ['comment', '2', 'Will do 👍', '0'],
      ],
    },
    {
      // Markup in a name: pages must show it as text.
      name: 'Fasteners & "anchors" <M8>',
      description: 'Repeat of last month.',
      statusid: '9',
      clientid: '20',
      managerid: '1',
      daysAgo: 1,
      fields: { partner_deadline: soon(10), budget: '980' },
      feed: [
        ['comment', '20', 'Same as last time, please.', '1'],
        ['comment', '1', 'Sure, <b>confirmed</b>.', '1'],
      ],
    },
  ];
}

export function seedState(slug: string, kind: 'demo' | 'empty', now: number): SandboxState {
  const state = baseState(slug, now);
  if (kind === 'empty') return state;

  const created = formatDate(new Date(now - 300 * DAY));
  state.contacts.push(
    contact('20', 'Андрій', 'Шевченко', {
      phones: ['+380501234567'],
      emails: ['andriy@budmaister.example'],
      company: 'ТОВ «Будмайстер»',
    }, created),
    contact('21', 'Maria', 'Bondar', { phones: ['+380672223344'], emails: ['maria.bondar@example.com'] }, created),
    contact('22', 'John', 'Smith', { phones: ['+442071234567'], emails: ['john@smith.example'] }, created),
    contact('23', 'ТОВ «Будмайстер»', '', {
      typesex: 'company',
      phones: ['+380443334455'],
      emails: ['office@budmaister.example'],
    }, created),
  );

  let orderId = 101;
  let commentId = 1001;
  for (const demo of demoOrders(now)) {
    const id = String(orderId++);
    const start = now - demo.daysAgo * DAY;
    const order: OrderRecord = {
      id,
      name: demo.name,
      description: demo.description,
      externalid: '',
      workflowid: '3',
      statusid: demo.statusid,
      managerid: demo.managerid,
      clientid: demo.clientid,
      authorid: demo.managerid,
      cdate: formatDate(new Date(start)),
      udate: formatDate(new Date(start)),
      customfields: {},
    };
    for (const field of state.customFields) order.customfields[field.key] = demo.fields[field.key as keyof DemoOrder['fields']] ?? '';
    let at = start;
    for (const [type, userid, content, clientvisible] of demo.feed) {
      at += 3 * 3600 * 1000;
      const item: CommentRecord = { id: String(commentId++), orderid: id, type, content, userid, clientvisible, cdate: formatDate(new Date(at)) };
      state.comments.push(item);
    }
    order.udate = formatDate(new Date(at));
    state.orders.push(order);
  }
  return state;
}
