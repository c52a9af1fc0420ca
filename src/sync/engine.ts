// The sync engine: turns a manager's request into durable jobs and runs them. It gets its
// settings, database and box clients from the caller, so the same code runs in the worker and
// in unit tests against sandbox boxes.
import { commentRunners } from './comments';
import { ownBoxOf, partnerBox, partnerOf, type SyncContext } from './context';
import { lanes, linkId, type LinkRecord, type OutboxJob, type SendOrderJob } from './db';
import { recordHistory } from './history';
import { stateRunners } from './order-state';
import { executeSend, externalIdFor, planSend, orderPageUrl } from './send-order';
import { claimJob, settleJob, type Runners } from './outbox';

/** Reads both boxes and says what a send would create; nothing is written anywhere. */
export async function previewSend(ctx: SyncContext, partnerId: string, orderId: string) {
  const own = ownBoxOf(ctx.settings);
  const partner = partnerOf(ctx.settings, partnerId);
  return planSend(ctx.clientFor(own), ctx.clientFor(partnerBox(partner)), new URL(own.url).origin, partner, orderId);
}

/**
 * Records the wish to send an order to a partner: the link and its job are written in one
 * transaction before any request, so two clicks, two tabs or a crash make one job at most.
 */
export async function requestSend(ctx: SyncContext, partnerId: string, orderId: string, origin: LinkRecord['origin']): Promise<LinkRecord> {
  const own = ownBoxOf(ctx.settings);
  partnerOf(ctx.settings, partnerId);
  const id = linkId(partnerId, orderId);
  const tx = ctx.db.transaction(['links', 'outbox'], 'readwrite');
  const links = tx.objectStore('links');
  const outbox = tx.objectStore('outbox');
  const existing = await links.get(id);
  const pending = await outbox.index('byLink').getAll(id);
  let link: LinkRecord;
  if (existing && (existing.state === 'linked' || pending.some((job) => job.kind === 'send-order'))) {
    link = existing;
  } else {
    link = {
      id,
      partnerId,
      localOrderId: orderId,
      externalId: existing?.externalId ?? externalIdFor(new URL(own.url).origin, partnerId, orderId),
      state: 'sending',
      createdAt: existing?.createdAt ?? ctx.now(),
      origin: existing?.origin ?? origin,
    };
    await links.put(link);
    const job: OutboxJob = { kind: 'send-order', linkId: id, lane: lanes.send(id), state: 'pending', attempts: 0, notBefore: 0, createdAt: ctx.now() };
    await outbox.add(job);
  }
  await tx.done;
  return link;
}

/** Stops syncing an order with a partner; both processes stay as they are. */
export async function unlink(ctx: SyncContext, id: string): Promise<void> {
  const tx = ctx.db.transaction(['links', 'outbox'], 'readwrite');
  const link = await tx.objectStore('links').get(id);
  if (link) await tx.objectStore('links').put({ ...link, state: 'unlinked' });
  for (const key of await tx.objectStore('outbox').index('byLink').getAllKeys(id)) await tx.objectStore('outbox').delete(key);
  await tx.done;
}

/**
 * The send job. Its claim re-reads the link: one that is linked already (a worker stopped after
 * the settle) or stopped by the user has nothing left to do, and its cursors are never reset.
 * Its settle marks the link linked and removes the job in one transaction.
 */
async function runSend(ctx: SyncContext, ran: SendOrderJob): Promise<void> {
  const own = ctx.clientFor(ownBoxOf(ctx.settings));
  const claimed = await claimJob(ctx.db, ran, ['links'], async (job, tx) => {
    const link = await tx.objectStore('links').get(job.linkId);
    return link?.state === 'sending' || link?.state === 'failed' ? { job, link } : null;
  });
  if (!claimed) return;
  let { job } = claimed;
  const { link } = claimed;
  if (job.localFloor === undefined) {
    // Comments from the first try on are synced, also those written while the partner was down.
    job = { ...job, localFloor: (await own.listComments(link.localOrderId)).at(-1)?.id ?? '' };
    await ctx.db.put('outbox', job);
  }
  const partner = partnerOf(ctx.settings, link.partnerId);
  const remote = ctx.clientFor(partnerBox(partner));
  const plan = await previewSend(ctx, link.partnerId, link.localOrderId);
  const { remoteOrderId, unassigned } = await executeSend(remote, plan);
  const remoteBefore = await remote.listComments(remoteOrderId);
  await settleJob(ctx.db, job, ['links', 'history'], async (tx) => {
    const current = await tx.objectStore('links').get(link.id);
    if (!current || current.state === 'unlinked' || current.state === 'linked') return;
    await recordHistory(tx.objectStore('history'), { linkId: link.id, at: ctx.now(), event: 'sent', remoteOrderId, ...(unassigned ? { unassigned: true } : {}) });
    await tx.objectStore('links').put({
      ...current,
      state: 'linked',
      remoteOrderId,
      remoteUrl: orderPageUrl(remote.origin, remoteOrderId),
      linkedAt: ctx.now(),
      lastSyncAt: ctx.now(),
      nextPollAt: ctx.now(),
      quietPolls: 0,
      ...(unassigned
        ? { notice: { kind: 'config', messageKey: 'error_unassigned', detail: `managerid ${unassigned.holds || '—'} ≠ ${unassigned.asked} (${partner.assigneeEmail})`, at: ctx.now() } }
        : {}),
      remoteStage: { id: plan.write.statusId, name: plan.view.stageName, since: ctx.now() },
      mappedFields: { sent: plan.mapped },
      ...(job.localFloor ? { localCursor: job.localFloor } : {}),
      ...(remoteBefore.at(-1) ? { remoteCursor: remoteBefore.at(-1)!.id } : {}),
    });
  });
}

export function createRunners(ctx: SyncContext): Runners {
  return { 'send-order': (job) => runSend(ctx, job), ...commentRunners(ctx), ...stateRunners(ctx) };
}

/**
 * Auto-send: orders of the own box that stand in a partner's `autoSend` stage are sent without
 * a click. A link, once made (even if later stopped), is never made again by the rule.
 */
export async function checkAutoSend(ctx: SyncContext): Promise<number> {
  if (!ctx.settings.ownBox) return 0;
  const own = ctx.clientFor(ctx.settings.ownBox);
  let queued = 0;
  for (const partner of ctx.settings.partners) {
    if (!partner.autoSend) continue;
    const orders = await own.listOrderIdsInStage(String(partner.autoSend.workflowId), String(partner.autoSend.statusId));
    for (const orderId of orders) {
      if (await ctx.db.get('links', linkId(partner.id, orderId))) continue;
      await requestSend(ctx, partner.id, orderId, 'auto');
      queued += 1;
    }
  }
  return queued;
}
