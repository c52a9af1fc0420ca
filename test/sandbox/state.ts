// The box's memory: the data (`state`, exposed to tests as is) plus what a box keeps beside
// it: id sequences, API tokens and page sessions.
import { randomBytes } from 'node:crypto';
import type {
  CommentRecord,
  ContactRecord,
  CustomFieldDef,
  EmployeeAccount,
  OrderRecord,
  Quirks,
  SandboxState,
  StatusRecord,
  WorkflowRecord,
} from './types.ts';

export type IdKind = 'order' | 'comment' | 'contact';

interface TokenInfo {
  employeeId: string;
  issuedAt: number;
  calls: number;
}

/** `Y-m-d H:i:s` in local time, as a box writes dates. */
export function formatDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

export function fullName(contact: ContactRecord): string {
  return [contact.name, contact.namelast].filter((part) => part !== '').join(' ');
}

export class Store {
  readonly state: SandboxState;
  // Highest id handed out per kind; ids never go back even if a test deletes records.
  private readonly lastIds = new Map<IdKind, number>();
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly sessions = new Map<string, string>();

  constructor(state: SandboxState) {
    this.state = state;
    // Every box numbers from the same floors, so an empty box's first order is 101 too.
    this.lastIds.set('order', 100);
    this.lastIds.set('comment', 1000);
    this.lastIds.set('contact', 19);
    for (const kind of ['order', 'comment', 'contact'] as const) this.lastIds.set(kind, this.maxId(kind));
  }

  private maxId(kind: IdKind): number {
    const list: readonly { id: string }[] =
      kind === 'order' ? this.state.orders : kind === 'comment' ? this.state.comments : this.state.contacts;
    let max = this.lastIds.get(kind) ?? 0;
    for (const record of list) max = Math.max(max, Number(record.id) || 0);
    return max;
  }

  nextId(kind: IdKind): string {
    const next = this.maxId(kind) + 1;
    this.lastIds.set(kind, next);
    return String(next);
  }

  order(id: string): OrderRecord | undefined {
    return this.state.orders.find((o) => o.id === id);
  }

  contact(id: string): ContactRecord | undefined {
    return this.state.contacts.find((c) => c.id === id);
  }

  /** The contact of an employee (employee = '1'), by id. */
  employee(id: string): ContactRecord | undefined {
    const contact = this.contact(id);
    return contact?.employee === '1' ? contact : undefined;
  }

  account(login: string): EmployeeAccount | undefined {
    return this.state.employees.find((e) => e.login === login);
  }

  workflow(id: string): WorkflowRecord | undefined {
    return this.state.workflows.find((w) => w.id === id);
  }

  status(id: string): StatusRecord | undefined {
    return this.state.statuses.find((s) => s.id === id);
  }

  customField(key: string): CustomFieldDef | undefined {
    return this.state.customFields.find((f) => f.key === key);
  }

  commentsOf(orderid: string): CommentRecord[] {
    return this.state.comments.filter((c) => c.orderid === orderid).sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Name shown for a user id; a removed contact still shows something. */
  userName(id: string): string {
    const contact = this.contact(id);
    return contact ? fullName(contact) : `#${id}`;
  }

  issueToken(employeeId: string, now: number): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { employeeId, issuedAt: now, calls: 0 });
    return token;
  }

  /**
   * The employee id a token belongs to, counting this call against its lifetime; undefined
   * when the token is unknown or has expired (an expired token is forgotten).
   */
  useToken(token: string | undefined, quirks: Quirks, now: number): string | undefined {
    if (token === undefined || token === '') return undefined;
    const info = this.tokens.get(token);
    if (!info) return undefined;
    const byCalls = quirks.tokenLifetimeCalls !== null && info.calls >= quirks.tokenLifetimeCalls;
    const bySeconds =
      quirks.tokenLifetimeSeconds !== null && now - info.issuedAt >= quirks.tokenLifetimeSeconds * 1000;
    if (byCalls || bySeconds) {
      this.tokens.delete(token);
      return undefined;
    }
    info.calls += 1;
    return info.employeeId;
  }

  newSession(employeeId: string): string {
    const sid = randomBytes(18).toString('base64url');
    this.sessions.set(sid, employeeId);
    return sid;
  }

  switchSession(sid: string, employeeId: string): void {
    this.sessions.set(sid, employeeId);
  }

  sessionUser(sid: string | undefined): string | undefined {
    return sid === undefined ? undefined : this.sessions.get(sid);
  }
}
