// A loopback imitation of ONE OneBox box: the REST API v2 (documented and assumed calls of
// onebox-api.md, quirks included) and the order pages with their comment block. Tests of the
// extension and of the API client run against it; it is strict on purpose and answers a bad
// request the way a box does (status 0, errorArray, HTTP 400), never with CORS headers.
//
// Sandbox decisions where the contract is silent (the client must not rely on more):
// - `comment/get/` filters: `orderid`, `id`, `type` only. No `idfrom`; an unknown filter key
//   (on any read) is an error. Comments come oldest first; without `type` only comments.
// - `order/get/` without `fields` returns the plain fields; custom fields only on request.
// - A write applies its records in order and stops at the first bad one (earlier ones stay).
// - A new process without `managerid` has no manager ('').
// - Latency is waited before the call is processed; a client that gives up meanwhile does
//   not stop the call. Fault answers (failNext, garbageNext) do not process the call.
// - An API path without its trailing slash is a 404 HTML page, as on a real site.
// - `ApiCall.fault` ('fail' | 'garbage' | 'drop') marks log entries a fault switch shaped.
// - The page composer posts to `/admin/comment/add/` (urlencoded, session cookie; the text as
//   `postcomment`, or `postcomment[]` as the modern composer names it) and gets
//   `{"status":1,"id":"<comment id>"}`; without a valid session: 403.
// - `?composer=form|button` on an order page picks the composer variant for that page load
//   (default: the `composer` quirk); any other value is a 400 page. `?blocks=inline|late` the
//   same for how the comment block comes (`blocks` quirk).
// - The late comment block's address, `/admin/block/order/comment/get/ajax/?orderid=&composer=`,
//   is modelled on the product block's one that onebox-api.md names; the comment block's own is
//   not known. It answers the block's HTML (list and composer) after `blockDelayMs`.
// - The read quirks imitate a box that misreads a query (onebox-api.md, "Newer evidence"):
//   `ignoreFilters` answers every record of the entity, unchecked and unlimited;
//   `ignoreOrderby` answers lowest id first whatever the sort; `firstFilterValueOnly` applies
//   only the first value of a list filter (no change detection then), `commentsOfOneOrder` only in
//   comment reads (change detection by `udate` then); `commentsOfAnotherOrder` makes
//   comment/get answer with another process's comments. `dropsManager` makes order/set ignore
//   `managerid`, as a box whose API does not take the assignee. See `Quirks` in types.ts.
// - The `dialect` quirk 'top-level' is the second read dialect of onebox-api.md: filter keys at
//   the top level, direction sort with `orderfields`, `order/comments/get|set/`, `employer` +
//   `level`. Its API paths have three segments (`/api/v2/order/comments/get/`).
// Control endpoints: see control.ts (`/__sandbox/state|log|quirks|faults`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleApi } from './api.ts';
import { handleControl } from './control.ts';
import { FaultSwitch } from './faults.ts';
import { errorPage, notFoundPage } from './html.ts';
import { sendHtml } from './http.ts';
import { handlePage } from './pages.ts';
import { seedState, slugOf } from './seed.ts';
import { Store } from './state.ts';
import type { ApiCall, Quirks, Sandbox, SandboxOptions } from './types.ts';

export type * from './types.ts';
export { slugOf } from './seed.ts';

/** Only loopback: the sandbox has known passwords and must never face a network. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Noon of the given day (local time), or now: the moment the demo data is seeded around. */
function seedTime(today: string | undefined): number {
  if (!today) return Date.now();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!match) throw new Error(`Sandbox "today" must be YYYY-MM-DD, got ${today}`);
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 12).getTime();
}

/** A box as onebox-api.md describes it, without any quirk switched on. */
export function defaultQuirks(): Quirks {
  return {
    keyedWrites: false,
    tokenLifetimeCalls: null,
    tokenLifetimeSeconds: null,
    latencyMs: 0,
    composer: 'form',
    ignoreFilters: false,
    ignoreOrderby: false,
    firstFilterValueOnly: false,
    commentsOfOneOrder: false,
    commentsOfAnotherOrder: false,
    dropsManager: false,
    blocks: 'inline',
    blockDelayMs: 1_000,
    dialect: 'wrapped',
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new Error(`Sandbox host must be loopback, got ${host}`);
  const name = options.name ?? 'Supplier A';
  const slug = slugOf(name);
  const store = new Store(seedState(slug, options.seed ?? 'demo', seedTime(options.today ?? process.env.SANDBOX_TODAY)));
  const quirks = defaultQuirks();
  const faults = new FaultSwitch();
  const log: ApiCall[] = [];

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    if (path.startsWith('/__sandbox/')) {
      await handleControl(req, res, path, { state: store.state, quirks, faults, log });
      return;
    }
    if (faults.isDown) {
      // Unreachable box: the connection dies before any byte of an answer.
      req.socket.destroy();
      return;
    }
    if (path.startsWith('/api/')) {
      const match = /^\/api\/v2\/([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)?)\/([A-Za-z0-9_-]+)\/$/.exec(path);
      if (!match?.[1] || !match[2]) {
        sendHtml(res, 404, notFoundPage());
        return;
      }
      await handleApi(req, res, match[1], match[2], { store, quirks, faults, log, clock: options.clock ?? Date.now });
      return;
    }
    await handlePage(req, res, url, { store, boxName: name, quirks });
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      // A bug in the sandbox shows as a 500 and on stderr, never as a hang.
      console.error('sandbox error:', err);
      if (!res.headersSent) sendHtml(res, 500, errorPage(500));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Sandbox did not get a TCP port');
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;
  const url = `http://${urlHost}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    name,
    slug,
    state: store.state,
    quirks,
    faults,
    log,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        faults.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
