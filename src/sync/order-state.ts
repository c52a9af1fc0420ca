// A linked order's state besides its comments: the stage the partner's process stands in (shown
// on the order page and in the popup, and moving the own order where the partner's stage map
// says), and the own order's mapped fields, kept current in the partner's process, one way (the
// own box is their source). Each box's linked orders are read together, 500 to a read, on the
// box's own turn (STATE_EVERY_MS); an order an open page shows, every WATCHED_STATE_EVERY_MS.
// A change becomes a durable job in the link's lane, so it is written once, in order with the
// link's comments, also when the box is down for a while.
import { keyedErrorData } from '../errors/keyed-error';
import type { Order, OneBoxClient } from '../onebox';
import type { PartnerSettings } from '../settings/types';
import { ownBoxOf, partnerBox, partnerOf, type SyncContext } from './context';
import { lanes, type FieldUpdateJob, type LinkRecord, type MetaRecord, type StageMoveJob } from './db';
import { addHistory, recordHistory, WORKER_EVENTS, type HistoryFacts } from './history';
import { claimJob, settleJob } from './outbox';
import { mappedFieldNames, mappedValues } from './send-order';

/** How often every linked order's stage and fields are read, page closed. */
export const STATE_EVERY_MS = 5 * 60_000;
/** How often those of an order an open page shows are read. */
export const WATCHED_STATE_EVERY_MS = 3_000;
const ORDERS_PER_READ = 500;
/**
 * A box may answer a read of many ids with fewer: one that takes only the first value of a list,
 * or one that no longer has some of the orders. Those left out are read one at a time, the
 * longest unread first, this many a turn, and only while such reads find them.
 */
const SINGLE_READS_PER_TURN = 20;

interface StateBox {
  key: `states ${string}`;
  client: OneBoxClient;
  /** The fields read, and what is done with an order read. */
  fields: string[];
  orderOf: (link: LinkRecord) => string;
  apply: (ctx: SyncContext, link: LinkRecord, order: Order) => Promise<void>;
  links: LinkRecord[];
}

function stateBoxes(ctx: SyncContext, links: LinkRecord[]): StateBox[] {
  const boxes: StateBox[] = [];
  const mapping = links.filter((link) => (partnerOf(ctx.settings, link.partnerId).fieldMap ?? []).length > 0);
  if (mapping.length > 0) {
    const fields = [...new Set(ctx.settings.partners.flatMap(mappedFieldNames))];
    boxes.push({ key: 'states own', client: ctx.clientFor(ownBoxOf(ctx.settings)), fields, orderOf: (l) => l.localOrderId, apply: applyOwnFields, links: mapping });
  }
  for (const partner of ctx.settings.partners) {
    const theirs = links.filter((link) => link.partnerId === partner.id);
    if (theirs.length === 0) continue;
    boxes.push({ key: `states partner ${partner.id}`, client: ctx.clientFor(partnerBox(partner)), fields: ['statusid'], orderOf: (l) => l.remoteOrderId!, apply: applyPartnerStage, links: theirs });
  }
  return boxes;
}

const watched = (link: LinkRecord, now: number) => (link.watchedUntil ?? 0) > now;
const watchDueAt = (link: LinkRecord) => (link.stateReadAt ?? 0) + WATCHED_STATE_EVERY_MS;

/**
 * Reads the stage and mapped fields of the linked orders whose turn has come and queues what
 * changed. A box that fails is read again on its next turn: its links' comment reads say why.
 * Returns when the next read is due.
 */
export async function readOrderStates(ctx: SyncContext, links: LinkRecord[]): Promise<number | null> {
  let next: number | null = null;
  const later = (at: number) => {
    next = next === null ? at : Math.min(next, at);
  };
  for (const box of stateBoxes(ctx, links)) {
    const now = ctx.now();
    const turn = (await ctx.db.get('meta', box.key)) as Extract<MetaRecord, { key: `states ${string}` }> | undefined;
    const due = !turn || turn.nextAt <= now;
    const wanted = due ? box.links : box.links.filter((link) => watched(link, now) && watchDueAt(link) <= now);
    const nextTurn = due ? now + STATE_EVERY_MS : turn.nextAt;
    // The next turn is written first: a box that fails waits for it, not for every pass.
    if (due) await ctx.db.put('meta', { key: box.key, nextAt: nextTurn });
    later(nextTurn);
    if (wanted.length > 0) {
      try {
        await readBox(ctx, box, wanted);
      } catch (error) {
        // Once a turn: the quick reads for an open page would fill the history every few seconds.
        if (due) await addHistory(ctx.db, { linkId: WORKER_EVENTS, at: ctx.now(), event: 'failed', subject: 'state-read', error: keyedErrorData(error), retryAt: nextTurn });
      }
    }
    for (const link of box.links) if (watched(link, ctx.now())) later(Math.max(watchDueAt(link), ctx.now() + WATCHED_STATE_EVERY_MS));
  }
  return next;
}

async function readBox(ctx: SyncContext, box: StateBox, links: LinkRecord[]): Promise<void> {
  const read = new Map<string, Order>();
  const ids = [...new Set(links.map(box.orderOf))];
  for (let from = 0; from < ids.length; from += ORDERS_PER_READ) {
    for (const order of await box.client.getOrders(ids.slice(from, from + ORDERS_PER_READ), box.fields)) read.set(order.id, order);
  }
  const leftOut = links.filter((link) => !read.has(box.orderOf(link))).sort((a, b) => (a.stateReadAt ?? 0) - (b.stateReadAt ?? 0));
  for (const link of leftOut.slice(0, SINGLE_READS_PER_TURN)) {
    const order = await box.client.getOrder(box.orderOf(link), box.fields);
    if (order) {
      read.set(order.id, order);
      continue;
    }
    // Gone from the box: it waits at the back of the line, and so do the others this turn.
    await ctx.db.put('links', { ...((await ctx.db.get('links', link.id)) ?? link), stateReadAt: ctx.now() });
    break;
  }
  for (const link of links) {
    const order = read.get(box.orderOf(link));
    if (order) await box.apply(ctx, link, order);
  }
}

interface LinkChange {
  link: LinkRecord;
  job?: FieldUpdateJob | StageMoveJob;
  history?: HistoryFacts;
}

/** Runs `change` on the link as stored now (the read above may be old); the job and history entry it returns are added in the same transaction. */
async function updateLink(ctx: SyncContext, linkId: string, change: (link: LinkRecord) => LinkChange | null): Promise<void> {
  const tx = ctx.db.transaction(['links', 'outbox', 'history'], 'readwrite');
  const current = await tx.objectStore('links').get(linkId);
  const changed = current?.state === 'linked' ? change(current) : null;
  if (changed) {
    await tx.objectStore('links').put(changed.link);
    if (changed.job) await tx.objectStore('outbox').add(changed.job);
    if (changed.history) await recordHistory(tx.objectStore('history'), { ...changed.history, linkId, at: ctx.now() });
  }
  await tx.done;
}

const jobBase = (ctx: SyncContext, link: LinkRecord, lane: string) => ({ linkId: link.id, lane, state: 'pending' as const, attempts: 0, notBefore: 0, createdAt: ctx.now() });

/** The own order's mapped fields: those that differ from what the partner's process has (or will have) are queued for writing. */
async function applyOwnFields(ctx: SyncContext, link: LinkRecord, order: Order): Promise<void> {
  const values = mappedValues(partnerOf(ctx.settings, link.partnerId), order);
  await updateLink(ctx, link.id, (current) => {
    const stamped = { ...current, stateReadAt: ctx.now() };
    // A link sent before fields were kept current: what the own order has now is the starting point.
    if (!current.mappedFields) return { link: { ...stamped, mappedFields: { sent: values } } };
    const known = current.mappedFields.queued ?? current.mappedFields.sent;
    const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => (known[key] ?? '') !== value));
    if (Object.keys(changed).length === 0) return { link: stamped };
    return {
      link: { ...stamped, mappedFields: { ...current.mappedFields, queued: { ...known, ...changed } } },
      job: { ...jobBase(ctx, current, lanes.out(current.id)), kind: 'field-update', values: changed },
    };
  });
}

/** A partner's stage names by id, read again once when a stage is not among them (a stage added since). */
async function stageName(ctx: SyncContext, partner: PartnerSettings, statusId: string): Promise<string | undefined> {
  const key = `stages ${partner.id}` as const;
  const stored = (await ctx.db.get('meta', key)) as Extract<MetaRecord, { key: `stages ${string}` }> | undefined;
  if (stored?.names[statusId] !== undefined) return stored.names[statusId];
  try {
    const statuses = await ctx.clientFor(partnerBox(partner)).listStatuses(String(partner.workflowId));
    const names = Object.fromEntries(statuses.map((status) => [status.id, status.name]));
    await ctx.db.put('meta', { key, names });
    return names[statusId];
  } catch {
    // Shown by its id until the names can be read.
    return undefined;
  }
}

/** The partner's process moved to another stage: recorded with its name, and the own order follows where the stage map says. */
async function applyPartnerStage(ctx: SyncContext, link: LinkRecord, order: Order): Promise<void> {
  const statusId = order.statusId;
  if (statusId === null || statusId === '') return;
  const partner = partnerOf(ctx.settings, link.partnerId);
  const name = link.remoteStage?.id === statusId ? link.remoteStage.name : await stageName(ctx, partner, statusId);
  await updateLink(ctx, link.id, (current) => {
    const stamped = { ...current, stateReadAt: ctx.now() };
    if (current.remoteStage?.id === statusId) return { link: stamped };
    const remoteStage = { id: statusId, ...(name !== undefined ? { name } : {}), since: ctx.now() };
    // Only a move after the send counts: the stage the send chose is where the partner started.
    const target = current.remoteStage ? partner.stageMap?.find((row) => String(row.from) === statusId) : undefined;
    return {
      link: { ...stamped, remoteStage },
      ...(target ? { job: { ...jobBase(ctx, current, lanes.in(current.id)), kind: 'stage-move' as const, statusId: String(target.to), remoteStatusId: statusId } } : {}),
      // The first stage read of a link sent before stages were kept is where it stands, not a change.
      ...(current.remoteStage ? { history: { event: 'stage-changed' as const, side: 'partner' as const, stageId: statusId, ...(name !== undefined ? { stageName: name } : {}) } } : {}),
    };
  });
}

/** Writes the changed fields into the partner's process; setting a value twice changes nothing, so a retry is harmless. */
async function runFieldUpdate(ctx: SyncContext, ran: FieldUpdateJob): Promise<void> {
  const claimed = await claimJob(ctx.db, ran, ['links'], async (job, tx) => {
    const link = await tx.objectStore('links').get(job.linkId);
    return link?.state === 'linked' && link.remoteOrderId ? { job, link } : null;
  });
  if (!claimed) return;
  const { job, link } = claimed;
  await ctx.clientFor(partnerBox(partnerOf(ctx.settings, link.partnerId))).updateOrder(link.remoteOrderId!, { customFields: job.values });
  await settleJob(ctx.db, job, ['links', 'history'], async (tx) => {
    await recordHistory(tx.objectStore('history'), { linkId: link.id, at: ctx.now(), event: 'field-updated', fields: job.values });
    const current = await tx.objectStore('links').get(link.id);
    if (!current?.mappedFields) return;
    const sent = { ...current.mappedFields.sent, ...job.values };
    const { queued } = current.mappedFields;
    const waiting = queued && Object.entries(queued).some(([key, value]) => (sent[key] ?? '') !== value);
    await tx.objectStore('links').put({ ...current, mappedFields: waiting ? { sent, queued } : { sent } });
  });
}

/** Moves the own order to the mapped stage; moving it there twice changes nothing. */
async function runStageMove(ctx: SyncContext, ran: StageMoveJob): Promise<void> {
  const claimed = await claimJob(ctx.db, ran, ['links'], async (job, tx) => {
    const link = await tx.objectStore('links').get(job.linkId);
    return link?.state === 'linked' ? { job, link } : null;
  });
  if (!claimed) return;
  const { job, link } = claimed;
  await ctx.clientFor(ownBoxOf(ctx.settings)).updateOrder(link.localOrderId, { statusId: job.statusId });
  await settleJob(ctx.db, job, ['history'], (tx) => recordHistory(tx.objectStore('history'), { linkId: link.id, at: ctx.now(), event: 'stage-changed', side: 'own', stageId: job.statusId }));
}

export function stateRunners(ctx: SyncContext) {
  return {
    'field-update': (job: FieldUpdateJob) => runFieldUpdate(ctx, job),
    'stage-move': (job: StageMoveJob) => runStageMove(ctx, job),
  };
}
