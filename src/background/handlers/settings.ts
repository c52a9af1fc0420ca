// "Test connection" on the options page: the worker, which alone talks to boxes, checks the box
// the form describes (credentials that may not be saved yet) and lists what the user picks from.
import type { ConnectionReport, ConnectionTest } from '../../messages/protocol';
import { createInMemoryMemory, createOneBoxClient, type OneBoxClient } from '../../onebox';
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

export async function testConnection({ box, plan }: ConnectionTest): Promise<ConnectionReport> {
  // A fresh client with its own token cache: the credentials under test may not be the saved ones.
  // The dialect is discovered anew and stored for the box, so the sync speaks it from now on;
  // the probe then checks each call in it. A discovery that cannot run (a wrong password, the box
  // down) leaves the documented dialect, and the probe says what failed.
  const memory = createInMemoryMemory();
  const discovery = await createOneBoxClient(box, { memory, dialectMemory }).discoverDialect(plan.assigneeEmail).catch(() => null);
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
