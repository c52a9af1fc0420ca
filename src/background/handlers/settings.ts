// "Test connection" on the options page: the worker, which alone talks to boxes, checks the box
// the form describes (credentials that may not be saved yet) and lists what the user picks from.
import type { ConnectionReport, ConnectionTest } from '../../messages/protocol';
import { createInMemoryMemory, createOneBoxClient, type OneBoxClient, type TestWrite } from '../../onebox';
import { startStage } from '../../sync/send-order';
import type { Handlers } from '../router';
import { dialectMemory } from '../sync-service';

// Enough for any real box; a box with more processes still gets its probe, and ids can be typed.
const MAX_LISTED_WORKFLOWS = 40;

async function listWorkflows(client: OneBoxClient): Promise<ConnectionReport['workflows']> {
  const workflows = (await client.listWorkflows()).slice(0, MAX_LISTED_WORKFLOWS);
  return Promise.all(
    workflows.map(async ({ id, name }) => ({
      id,
      name,
      // A process whose stages cannot be read is still listed; the probe reports the failure.
      statuses: (await client.listStatuses(id).catch(() => [])).map((status) => ({
        id: status.id,
        name: status.name,
        ...(status.isStart !== undefined ? { isStart: status.isStart } : {}),
      })),
    })),
  );
}

/** Where the allowed test write goes: the partner's stage, or its process's start stage as a send would. */
async function testWriteTarget(client: OneBoxClient, plan: ConnectionTest['plan']): Promise<TestWrite | undefined> {
  const { workflowId, statusId } = plan;
  if (!plan.testWrite || workflowId === undefined) return undefined;
  const stage = statusId ?? startStage(await client.listStatuses(workflowId).catch(() => []))?.id;
  return stage === undefined ? undefined : { workflowId, statusId: stage };
}

export async function testConnection({ box, plan }: ConnectionTest): Promise<ConnectionReport> {
  // A fresh client with its own token cache: the credentials under test may not be the saved ones.
  // The dialect is discovered anew and stored for the box, so the sync speaks it from now on;
  // the probe then checks each call in it. A discovery that cannot run (a wrong password, the box
  // down) leaves the documented dialect, and the probe says what failed.
  const memory = createInMemoryMemory();
  const discovering = createOneBoxClient(box, { memory, dialectMemory });
  const testWrite = await testWriteTarget(discovering, plan);
  const discovery = await discovering
    .discoverDialect({ ...(plan.assigneeEmail ? { employeeEmail: plan.assigneeEmail } : {}), ...(testWrite ? { testWrite } : {}) })
    .catch(() => null);
  const client = createOneBoxClient(box, { memory, ...(discovery ? { dialect: discovery.dialect } : {}) });
  const checks = await client.probe(plan);
  const reachable = checks.some((check) => check.call === 'token' && check.ok);
  const [workflows, employee] = reachable
    ? await Promise.all([
        listWorkflows(client).catch(() => []),
        plan.assigneeEmail ? client.findEmployeeByEmail(plan.assigneeEmail).catch(() => null) : null,
      ])
    : [[], null];
  return {
    origin: client.origin,
    checks,
    discovery,
    workflows,
    assignee: employee && { id: employee.id, name: [employee.name, employee.namelast].filter(Boolean).join(' ') },
  };
}

export const settingsHandlers: Pick<Handlers, 'settings/test-connection'> = {
  'settings/test-connection': testConnection,
};
