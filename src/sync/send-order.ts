// Sending an order to a partner: what will be sent (the preview and the job share one plan),
// and the job that creates the partner's process. The process carries an `externalid` derived
// from the own box and order id, so a retry, a second click or a resend after a dropped answer
// updates the same process instead of creating another.
import { KeyedError } from '../errors/keyed-error';
import type { SendPreview } from '../messages/protocol';
import type { Contact, OneBoxClient, Order, OrderWrite, Status } from '../onebox';
import type { PartnerSettings } from '../settings/types';

/** The order fields a mapping may name besides custom fields. */
const ORDER_FIELDS = new Set(['name', 'description', 'cdate', 'udate', 'statusid', 'workflowid', 'managerid', 'clientid']);

/**
 * The own box's fields to read for a partner's map: a mapped field is one of the order's own
 * fields or, more often, a custom field (which the box returns inside `customfields`, not by its key).
 */
export function mappedFieldNames(partner: PartnerSettings): string[] {
  return ['customfields', ...(partner.fieldMap ?? []).map((m) => m.from).filter((key) => ORDER_FIELDS.has(key))];
}

/** The own order's values a partner's map sends, by the partner's key ('' for an empty field). */
export function mappedValues(partner: PartnerSettings, order: Pick<Order, 'customFields' | 'fields'>): Record<string, string> {
  return Object.fromEntries((partner.fieldMap ?? []).map(({ from, to }) => [to, order.customFields[from] ?? order.fields[from] ?? '']));
}

/** Names the order and the partner, so two partners in one box each get their own process. */
export function externalIdFor(ownOrigin: string, partnerId: string, orderId: string): string {
  return `partner-sync:${new URL(ownOrigin).host}:${partnerId}:${orderId}`;
}

/** The modern order page of a box (either side): `<origin>/<id>/`. */
export function orderPageUrl(origin: string, orderId: string): string {
  return `${origin}/${orderId}/`;
}

export interface SendPlan {
  write: OrderWrite & { workflowId: string; statusId: string };
  /** For the preview: names the manager recognises. */
  view: Omit<SendPreview, 'partnerName'>;
  /** The own box's client, copied into the partner's box only when the job runs. */
  client: Contact | null;
  /** Every mapped field's value, empty ones too: what the partner's fields hold once the send is done. */
  mapped: Record<string, string>;
}

/** The stage a process starts in when none is set, as the box's own action does; a box that does not mark it lists it first. */
export function startStage(statuses: readonly Status[]): Status | undefined {
  return statuses.find((s) => s.isStart) ?? statuses[0];
}

function fullName(contact: Contact): string {
  return [contact.name, contact.namelast].filter(Boolean).join(' ');
}

/** Reads both boxes and works out what to send; creates nothing. */
export async function planSend(own: OneBoxClient, remote: OneBoxClient, ownOrigin: string, partner: PartnerSettings, orderId: string): Promise<SendPlan> {
  const order = await own.getOrder(orderId, [...new Set(['id', 'name', 'description', 'clientid', ...mappedFieldNames(partner)])]);
  if (!order) throw new KeyedError({ kind: 'config', messageKey: 'error_order_not_found', detail: orderId });

  const workflowId = String(partner.workflowId);
  const [workflows, statuses, assignee] = await Promise.all([
    remote.listWorkflows(),
    remote.listStatuses(workflowId),
    remote.findEmployeeByEmail(partner.assigneeEmail),
  ]);
  const workflow = workflows.find((w) => w.id === workflowId);
  if (!workflow) throw new KeyedError({ kind: 'config', messageKey: 'error_unknown_workflow', detail: workflowId });
  if (!assignee) throw new KeyedError({ kind: 'config', messageKey: 'error_unknown_employee', detail: partner.assigneeEmail });
  const stage = partner.statusId === undefined ? startStage(statuses) : statuses.find((s) => s.id === String(partner.statusId));
  if (!stage) throw new KeyedError({ kind: 'config', messageKey: 'error_unknown_status', detail: partner.statusId === undefined ? workflowId : String(partner.statusId) });

  const client = partner.syncClient && order.clientId ? await own.getContact(order.clientId) : null;
  const mapped = mappedValues(partner, order);
  const fields = (partner.fieldMap ?? []).map(({ from, to }) => ({ from, to, value: mapped[to]! })).filter((field) => field.value !== '');

  const orderName = order.name || `#${order.id}`;
  return {
    write: {
      externalId: externalIdFor(ownOrigin, partner.id, order.id),
      workflowId,
      statusId: stage.id,
      name: orderName,
      ...(order.description ? { description: order.description } : {}),
      managerId: assignee.id,
      ...(fields.length > 0 ? { customFields: Object.fromEntries(fields.map((f) => [f.to, f.value])) } : {}),
    },
    view: {
      orderName,
      workflowName: workflow.name,
      stageName: stage.name,
      assigneeName: fullName(assignee),
      assigneeEmail: partner.assigneeEmail,
      clientName: client ? fullName(client) : null,
      fields,
    },
    client,
    mapped,
  };
}

export interface SendOutcome {
  remoteOrderId: string;
  /** The box took the process but not its assignee: the `managerid` asked and the one it holds ('' none). */
  unassigned?: { asked: string; holds: string };
}

/**
 * Creates (or, on a resend, updates) the partner's process, then reads its assignee back: a box
 * may take the process and drop a `managerid` it does not accept without a word, and an
 * unassigned process is one nobody at the partner is told about.
 */
export async function executeSend(remote: OneBoxClient, plan: SendPlan): Promise<SendOutcome> {
  let clientId: string | undefined;
  if (plan.client) {
    const { name, namelast, emails, phones } = plan.client;
    clientId = await remote.findOrCreateContact({
      name,
      ...(namelast ? { namelast } : {}),
      ...(emails[0] ? { email: emails[0] } : {}),
      ...(phones[0] ? { phone: phones[0] } : {}),
    });
  }
  const remoteOrderId = await remote.upsertOrder({ ...plan.write, ...(clientId ? { clientId } : {}) });
  const written = await remote.getOrder(remoteOrderId, ['managerid']);
  // Not there right after the write: the box's answer was wrong; the job tries again (the write is keyed).
  if (!written) throw new KeyedError({ kind: 'protocol', messageKey: 'error_protocol', detail: `order/get: no process ${remoteOrderId} after order/set` });
  const asked = plan.write.managerId;
  return asked === undefined || written.managerId === asked ? { remoteOrderId } : { remoteOrderId, unassigned: { asked, holds: written.managerId ?? '' } };
}
