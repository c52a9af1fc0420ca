// A model-based property test of the sync engine: random schedules of people writing comments,
// choices on the order page, time passing, sync passes, box faults and worker stops, run on the
// real engine (fake IndexedDB, a virtual clock) against in-memory boxes (test/support/box-model.ts).
// After each schedule, time passes with no faults; then an independent model of the guarantees in
// design.md says what each box must, may and must not hold. Nothing is contacted over the network.
//
//   npx vitest run test/unit/engine-model.test.ts                        (the default, fixed seed)
//   ENGINE_SCHEDULES=10000 npx vitest run test/unit/engine-model.test.ts  (a long run)
//   ENGINE_SEED=… ENGINE_PATH=… npx vitest run test/unit/engine-model.test.ts  (replay a failure)
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { deleteDB } from 'idb';
import { describe, it, vi } from 'vitest';
import { REQUEST_TIMEOUT_MS } from '../../src/onebox';
import type { BoxDialect } from '../../src/onebox/types';
import type { Settings } from '../../src/settings/types';
import { IN_FLIGHT_SETTLE_MS, recordCommentChoice, recordComposerChoice, type ChoiceOutcome } from '../../src/sync/comments';
import type { SyncContext } from '../../src/sync/context';
import { lanes, linkId, openSyncDb, type SyncDb } from '../../src/sync/db';
import { requestSend } from '../../src/sync/engine';
import { retryLink } from '../../src/sync/outbox';
import { pollOne, syncPass } from '../../src/sync/scheduler';
import { externalIdFor } from '../../src/sync/send-order';
import {
  BoxModel, modelClient, OPEN_GATE, type Fault, type Landing, type Person, type RequestGate, type RequestInfo, type Treatment, type VirtualClock,
} from '../support/box-model';

const SCHEDULES = Number(process.env['ENGINE_SCHEDULES'] ?? 200);
const SEED = Number(process.env['ENGINE_SEED'] ?? 20_250_106);
const PATH = process.env['ENGINE_PATH'];

// ---- the world ---------------------------------------------------------------------------

const OWN_URL = 'http://127.0.0.1:1';
const OWN_HOST = new URL(OWN_URL).host;
/** The extension's user in box A (the extension signs in to A as her), and her colleague. */
const OLENA: Person = { id: '1', name: 'Olena Kovalenko' };
const PETRO: Person = { id: '2', name: 'Petro Bondar' };
/** The extension's login in the partners' boxes. */
const SYNC_USER: Person = { id: '9', name: 'Partner Sync' };

const PARTNERS = {
  B: { id: 'buyer-b', name: 'Buyer B', url: 'http://127.0.0.2:1', person: { id: '5', name: 'Ivan Petrenko', email: 'ivan@b.example' }, ids: { firstComment: 500, firstOrder: 250 } },
  C: { id: 'buyer-c', name: 'Buyer C', url: 'http://127.0.0.3:1', person: { id: '6', name: 'Maria Shevchenko', email: 'maria@c.example' }, ids: { firstComment: 900, firstOrder: 350 } },
} as const;
type PartnerKey = keyof typeof PARTNERS;
type BoxKey = 'A' | PartnerKey;

/** The links a schedule may have: one order linked to two partners, and a second order. */
const LINKS = [
  { name: 'A101-B', partner: 'B', local: '101', remote: '201' },
  { name: 'A101-C', partner: 'C', local: '101', remote: '301' },
  { name: 'A102-B', partner: 'B', local: '102', remote: '202' },
] as const;
type LinkSpec = (typeof LINKS)[number];
type LocalOrder = LinkSpec['local'];

interface World {
  /** Which links exist; `sent` ones start as a send job the engine runs, the others as a finished send leaves them. */
  links: { spec: number; sent: boolean }[];
  onlyVisible: Record<PartnerKey, boolean>;
  shareByDefault: boolean;
  holdSeconds: number;
  /** Seeds the engine's jitter (poll spread, backoff). */
  seed: number;
  /** How each box is watched for changes: one comments read for all its linked orders, their change dates, or per link. */
  changes: Record<BoxKey, BoxDialect['changes']>;
}

type Action =
  | { kind: 'write'; order: LocalOrder; by: 'user' | 'colleague'; visible: boolean; text: string }
  | { kind: 'partner-write'; link: number; visible: boolean; text: string }
  /** Olena's pictogram choice for one of A's comments, `back` from the newest. */
  | { kind: 'choose'; back: number; share: boolean; signedIn: boolean }
  | { kind: 'composer'; order: LocalOrder; share: boolean; signedIn: boolean }
  /** An order page opened: its links are polled at once, alongside any running pass. */
  | { kind: 'visit'; order: LocalOrder };

/** The requests a plan names; the others are counted as steps only. */
type Endpoint = 'comment/get' | 'comment/set' | 'order/get' | 'order/set';
/** The nth (from 0) request of a pass to an endpoint. */
interface RequestMoment {
  request: Endpoint;
  nth: number;
}
/** A point in a pass: a request or the step `then` steps after it, or a step by number (each box request and each database transaction is one). */
type Moment = (RequestMoment & { then: number }) | { step: number };

interface PassPlan {
  faults: (RequestMoment & { fault: Fault })[];
  /** The worker stops there and is never answered again. */
  stop: { at: Moment; lands: Landing } | null;
  /** Actions taken just before that point, as a page would while the pass runs (before a request: before its answer). */
  during: { at: Moment; action: Action }[];
}

type Step = Action | { kind: 'advance'; ms: number } | { kind: 'pass'; plan: PassPlan };

const CALM: PassPlan = { faults: [], stop: null, during: [] };
/** Longer than the longest quiet-poll pause (30 min + 15%), backoff step and in-flight wait. */
const SETTLE_STEP_MS = 40 * 60_000;
const SETTLE_ROUNDS = 3;
/** design.md: the hold window is at least 3 s whatever the settings say. */
const HOLD_FLOOR_SECONDS = 3;

// ---- schedules ---------------------------------------------------------------------------

const orderArb = fc.constantFrom<LocalOrder>('101', '102');
/** Mostly distinct texts; "ok" repeats, so that a copy looked for by its text alone may be the wrong one. */
const textArb = fc.oneof({ weight: 2, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('ok') });

/** Actions, weighted: `choices` is the weight of the page's choices (what races with a claim). */
const actionsArb = (choices: number): fc.Arbitrary<Action> => fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), order: orderArb, by: fc.constantFrom('user' as const, 'colleague' as const), visible: fc.boolean(), text: textArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('partner-write' as const), link: fc.nat(2), visible: fc.boolean(), text: textArb }) },
  { weight: choices, arbitrary: fc.record({ kind: fc.constant('choose' as const), back: fc.nat(3), share: fc.boolean(), signedIn: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('composer' as const), order: orderArb, share: fc.boolean(), signedIn: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('visit' as const), order: orderArb }) },
);
const actionArb = actionsArb(2);

/** A write sent by a worker that stopped, or over a connection that dropped, lands, if at all, within the client's timeout: what the engine's in-flight wait relies on. */
const landingArb: fc.Arbitrary<Landing> = fc.oneof(
  fc.constant('never' as const),
  fc.constant('now' as const),
  fc.record({ afterMs: fc.integer({ min: 1, max: REQUEST_TIMEOUT_MS }) }),
);

const faultArb: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant({ kind: 'box-down' as const }),
  fc.record({ kind: fc.constant('timeout' as const), applied: fc.boolean() }),
  fc.record({ kind: fc.constant('connection-lost' as const), lands: landingArb }),
  fc.constant({ kind: 'answer-cut' as const }),
  fc.record({ kind: fc.constant('garbled' as const), applied: fc.boolean() }),
  fc.constant({ kind: 'token-refused' as const }),
  fc.record({ kind: fc.constant('slow' as const), ms: fc.integer({ min: 1, max: REQUEST_TIMEOUT_MS - 1 }) }),
);

const requestArb: fc.Arbitrary<RequestMoment> = fc.record({
  request: fc.constantFrom<Endpoint>('comment/set', 'comment/get', 'order/set', 'order/get'),
  nth: fc.nat(2),
});
const momentArb: fc.Arbitrary<Moment> = fc.oneof(
  { weight: 1, arbitrary: fc.tuple(requestArb, fc.nat(4)).map(([at, then]) => ({ ...at, then })) },
  // Most passes are short; later steps are reached through a request.
  { weight: 2, arbitrary: fc.record({ step: fc.nat(10) }) },
);

const planArb: fc.Arbitrary<PassPlan> = fc.record({
  faults: fc.array(fc.tuple(requestArb, faultArb).map(([at, fault]) => ({ ...at, fault })), { maxLength: 3 }),
  stop: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.record({ at: momentArb, lands: landingArb }) }),
  during: fc.array(fc.record({ at: momentArb, action: actionsArb(6) }), { maxLength: 3 }),
});

const advanceArb = fc.oneof(
  fc.integer({ min: 1, max: 2_999 }),
  fc.integer({ min: 3_000, max: 12_000 }),
  fc.constantFrom(IN_FLIGHT_SETTLE_MS - 1, IN_FLIGHT_SETTLE_MS),
  fc.integer({ min: 60_000, max: SETTLE_STEP_MS }),
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: actionArb },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pass' as const), plan: planArb }) },
);

/** Gives every comment without a repeated text its own, so the counterexample can name it. */
function nameTexts(steps: Step[]): Step[] {
  let n = 0;
  const named = (action: Action): Action =>
    (action.kind === 'write' || action.kind === 'partner-write') && action.text === '' ? { ...action, text: `t${++n}` } : action;
  return steps.map((step) => {
    if (step.kind === 'pass') return { ...step, plan: { ...step.plan, during: step.plan.during.map((d) => ({ ...d, action: named(d.action) })) } };
    return step.kind === 'advance' ? step : named(step);
  });
}

const changesArb = fc.constantFrom<BoxDialect['changes']>('comments-batch', 'udate-sorted', 'udate', 'per-link');
const worldArb: fc.Arbitrary<World> = fc.record({
  links: fc.uniqueArray(fc.record({ spec: fc.nat(2), sent: fc.boolean() }), { selector: (link) => link.spec, minLength: 1, maxLength: 3 }),
  onlyVisible: fc.record({ B: fc.boolean(), C: fc.boolean() }),
  shareByDefault: fc.boolean(),
  holdSeconds: fc.integer({ min: 0, max: 10 }),
  seed: fc.integer(),
  changes: fc.record({ A: changesArb, B: changesArb, C: changesArb }),
});
const scheduleArb = fc.array(stepArb, { minLength: 1, maxLength: 30, size: 'medium' }).map(nameTexts);

// ---- a readable schedule -----------------------------------------------------------------

const linkOf = (world: World, index: number): LinkSpec => LINKS[world.links[index % world.links.length]!.spec]!;
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'box-down': return 'HTTP 500';
    case 'timeout': return `a timeout (${fault.applied ? 'the write was applied' : 'nothing written'})`;
    case 'connection-lost': return `a connection lost before any answer (${describeLanding(fault.lands)})`;
    case 'answer-cut': return 'an answer cut off after its headers (the write was applied)';
    case 'garbled': return fault.applied ? 'an answer without the id (the write was applied)' : 'a proxy page (nothing written)';
    case 'token-refused': return 'a refused token, even a fresh one';
    case 'slow': return `an answer after ${fault.ms} ms`;
  }
}

function describeLanding(lands: Landing): string {
  if (lands === 'never') return 'a write sent there never lands';
  if (lands === 'now') return 'a write sent there lands at once';
  return `a write sent there lands ${lands.afterMs} ms later`;
}

function describeAction(world: World, action: Action): string {
  const visible = (v: boolean) => (v ? 'client-visible' : 'not client-visible');
  switch (action.kind) {
    case 'write':
      return `${action.by === 'user' ? 'Olena' : 'her colleague Petro'} writes "${action.text}" in A${action.order} (${visible(action.visible)})`;
    case 'partner-write': {
      const link = linkOf(world, action.link);
      return `the partner writes "${action.text}" in the process of ${link.name} (${visible(action.visible)})`;
    }
    case 'choose':
      return `Olena marks A's ${action.back === 0 ? 'newest comment' : `comment ${action.back} before the newest`} ${action.share ? 'shared' : 'private'}${action.signedIn ? ' (signed in as Olena)' : ''}`;
    case 'composer':
      return `A${action.order}'s pictogram is set to ${action.share ? 'shared' : 'private'}${action.signedIn ? ' (signed in as Olena)' : ''}`;
    case 'visit':
      return `Olena opens order A${action.order}`;
  }
}

const ordinal = (n: number) => `${n + 1}${['st', 'nd', 'rd'][n] ?? 'th'}`;
const describeRequest = (at: RequestMoment) => `the ${ordinal(at.nth)} ${at.request}`;
const describeMoment = (at: Moment) => {
  if ('step' in at) return `step ${at.step}`;
  return at.then === 0 ? describeRequest(at) : `${at.then} step${at.then > 1 ? 's' : ''} after ${describeRequest(at)}`;
};

function describeStep(world: World, step: Step): string {
  if (step.kind === 'advance') return `${step.ms} ms go by`;
  if (step.kind !== 'pass') return describeAction(world, step);
  const { faults, stop, during } = step.plan;
  const parts = [
    ...faults.map((f) => `${describeRequest(f)} meets ${describeFault(f.fault)}`),
    ...during.map((d) => `before ${describeMoment(d.at)}: ${describeAction(world, d.action)}`),
    ...(stop ? [`the worker stops at ${describeMoment(stop.at)} (${describeLanding(stop.lands)})`] : []),
  ];
  return parts.length > 0 ? `sync pass: ${parts.join('; ')}` : 'sync pass';
}

function describeSchedule(world: World, steps: Step[]): string {
  const links = world.links.map(({ spec, sent }) => `${LINKS[spec]!.name} (${sent ? 'sent by the engine' : 'linked'})`);
  return [
    `links: ${links.join(', ')}; only client-visible: B ${yesNo(world.onlyVisible.B)}, C ${yesNo(world.onlyVisible.C)}; ` +
      `shareByDefault: ${yesNo(world.shareByDefault)}; hold ${world.holdSeconds} s; jitter seed ${world.seed}`,
      `change detection: ${Object.entries(world.changes).map(([box, how]) => `${box} ${how}`).join(', ')}`,
    ...steps.map((step, i) => `${String(i + 1).padStart(2)}. ${describeStep(world, step)}`),
  ].join('\n');
}

// ---- running a schedule --------------------------------------------------------------------

/** What a stopped worker's database calls return: no chain of calls and awaits on it ever gets past it. */
const STUCK: object = new Proxy(() => {}, { get: (_target, prop) => (prop === 'then' ? () => {} : STUCK), apply: () => STUCK });
/** The database calls that start a transaction: the points where a worker can stop between two of them. */
const DB_CALLS = new Set(['transaction', 'get', 'getKey', 'getAll', 'getAllKeys', 'count', 'put', 'add', 'delete', 'clear',
  'getFromIndex', 'getKeyFromIndex', 'getAllFromIndex', 'getAllKeysFromIndex', 'countFromIndex']);

/**
 * One worker's view of a pass: counts its steps (box requests and database transactions), applies
 * the plan's faults, runs the plan's actions before their steps, and stops the worker for good.
 */
class PassGate implements RequestGate {
  #plan = CALM;
  #step = 0;
  #requests = new Map<string, number>();
  /** The step of each request so far, by endpoint and number. */
  #requestSteps = new Map<string, number>();
  #stopped = false;
  #signal!: () => void;
  readonly stop = new Promise<void>((resolve) => (this.#signal = resolve));
  started: Promise<void>[] = [];

  constructor(private readonly run: ScheduleRun) {}

  begin(plan: PassPlan): void {
    [this.#plan, this.#step, this.#requests, this.#requestSteps, this.started] = [plan, 0, new Map(), new Map(), []];
  }

  /** A database call of the engine: false once the worker has stopped. */
  dbStep(what: string): boolean {
    if (this.#stopped) return false;
    const step = this.#step++;
    const here = (at: Moment) => this.#isAt(at, step);
    // Started, not awaited: an action's first transaction is created now, so it lands before this one.
    this.#during(here, `step ${step} (${what})`);
    if (!this.#plan.stop || !here(this.#plan.stop.at)) return true;
    this.#halt(`step ${step} (${what})`);
    return false;
  }

  async request(info: RequestInfo): Promise<Treatment> {
    if (this.#stopped) return { answer: 'never', lands: 'never' };
    const step = this.#step++;
    const nth = this.#requests.get(info.endpoint) ?? 0;
    this.#requests.set(info.endpoint, nth + 1);
    this.#requestSteps.set(`${info.endpoint} ${nth}`, step);
    const here = (at: Moment | RequestMoment) => this.#isAt({ then: 0, ...at }, step);
    const what = `step ${step}, the ${ordinal(nth)} ${info.endpoint} (to ${info.box})`;
    await Promise.all(this.#during(here, what));
    // Sent before another request of the pass stopped the worker: it reaches the box, its answer no one.
    if (this.#stopped) return { answer: 'never', lands: 'now' };
    const stop = this.#plan.stop;
    if (stop && here(stop.at)) {
      this.#halt(what);
      return { answer: 'never', lands: stop.lands };
    }
    const fault = this.#plan.faults.find(here)?.fault;
    if (!fault) return { answer: 'normal' };
    this.run.note(`${what} meets ${describeFault(fault)}`);
    return { answer: 'fault', fault };
  }

  #isAt(at: Moment, step: number): boolean {
    if ('step' in at) return at.step === step;
    return this.#requestSteps.get(`${at.request} ${at.nth}`) === step - at.then;
  }

  #during(here: (at: Moment) => boolean, what: string): Promise<void>[] {
    const actions = this.#plan.during.filter((d) => here(d.at)).map((d) => {
      this.run.note(`before ${what}: ${describeAction(this.run.world, d.action)}`);
      return this.run.act(d.action);
    });
    this.started.push(...actions);
    return actions;
  }

  #halt(what: string): void {
    this.#stopped = true;
    this.run.note(`the worker stops at ${what}`);
    this.#signal();
  }
}

function stoppable(db: SyncDb, gate: PassGate): SyncDb {
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (typeof prop !== 'string' || !DB_CALLS.has(prop)) return value.bind(target);
      return (...args: unknown[]) => (gate.dbStep(`${prop} ${String(args[0])}`) ? value.apply(target, args) : STUCK);
    },
  });
}

interface Worker {
  raw: SyncDb;
  gate: PassGate;
  /** The sync engine of this worker: its requests and transactions go through the gate. */
  engine: SyncContext;
  /** What the pages' messages run in: never faulted or stopped. */
  user: SyncContext;
}

interface Written {
  seq: number;
  at: number;
  box: 'A' | PartnerKey;
  order: string;
  id: string;
  text: string;
  author: Person;
  visible: boolean;
  /** Links seen linked before this comment was written: from then on, their comments must sync. */
  linkedBefore: ReadonlySet<string>;
}

type ChoiceEvent = { seq: number; at: number; order: string; share: boolean; viewer?: string } & (
  | { kind: 'comment'; commentId: string; outcome?: ChoiceOutcome }
  | { kind: 'composer' }
);

const START = Date.UTC(2025, 0, 6, 9);
let runs = 0;

class ScheduleRun {
  readonly clock: VirtualClock & { at: number } = { at: START, now: () => this.clock.at, advance: (ms) => void (this.clock.at += ms) };
  readonly boxes: Record<'A' | PartnerKey, BoxModel>;
  readonly settings: Settings;
  readonly links: LinkSpec[];
  readonly written: Written[] = [];
  readonly choices: ChoiceEvent[] = [];
  readonly linkedSeen = new Set<string>();
  readonly trace: string[] = [];
  readonly dbName = `engine-model-${++runs}`;
  readonly #connections: SyncDb[] = [];
  #worker: Worker | null = null;
  #seq = 0;

  constructor(readonly world: World) {
    const stage = { workflow: { id: '12', name: 'Purchasing' }, statuses: [{ id: '56', name: 'New', workflowId: '12', isStart: true }] };
    const partnerBox = (key: PartnerKey) => new BoxModel(PARTNERS[key].url, PARTNERS[key].name, this.clock, PARTNERS[key].ids, [PARTNERS[key].person], [stage]);
    this.boxes = { A: new BoxModel(OWN_URL, 'A', this.clock, { firstComment: 100, firstOrder: 150 }), B: partnerBox('B'), C: partnerBox('C') };
    for (const [key, box] of Object.entries(this.boxes)) box.changes = world.changes[key as BoxKey];
    this.links = world.links.map((link) => LINKS[link.spec]!);
    this.settings = {
      version: 1,
      ownBox: { url: OWN_URL, login: 'olena', restApiPassword: 'olena-secret' },
      partners: (['B', 'C'] as const).map((key) => ({
        id: PARTNERS[key].id, name: PARTNERS[key].name, boxUrl: PARTNERS[key].url, login: 'partner-sync', restApiPassword: 'sync-secret',
        assigneeEmail: PARTNERS[key].person.email, workflowId: 12, syncOnlyClientVisibleComments: world.onlyVisible[key], syncClient: false,
      })),
      preferences: { shareByDefault: world.shareByDefault, holdSeconds: world.holdSeconds, language: 'auto' },
    };
  }

  note(line: string): void {
    this.trace.push(`      [${((this.clock.now() - START) / 1000).toFixed(1)} s] ${line}`);
  }

  sent(link: LinkSpec): boolean {
    return this.world.links.some((l) => LINKS[l.spec] === link && l.sent);
  }

  linkIdOf(link: LinkSpec): string {
    return linkId(PARTNERS[link.partner].id, link.local);
  }

  /** The partner's process of a link: the engine's (found by its external id) for a sent link. */
  remoteOrderOf(link: LinkSpec): string | undefined {
    if (!this.sent(link)) return link.remote;
    const externalId = externalIdFor(OWN_URL, PARTNERS[link.partner].id, link.local);
    return this.boxes[link.partner].orders.find((order) => order.externalId === externalId)?.id;
  }

  async start(): Promise<void> {
    this.boxes.A.addOrder({ id: '101' });
    this.boxes.A.addOrder({ id: '102' });
    for (const link of this.links) {
      if (!this.sent(link)) this.boxes[link.partner].addOrder({ id: link.remote });
    }
    const { user } = await this.worker();
    for (const link of this.links) {
      const partnerId = PARTNERS[link.partner].id;
      if (this.sent(link)) {
        await requestSend(user, partnerId, link.local, 'click');
        continue;
      }
      const now = this.clock.now();
      await user.db.put('links', {
        id: this.linkIdOf(link), partnerId, localOrderId: link.local, externalId: `model:${link.local}`, state: 'linked',
        remoteOrderId: link.remote, createdAt: now, linkedAt: now, origin: 'click',
      });
      this.linkedSeen.add(link.name);
    }
  }

  async worker(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    const raw = await openSyncDb(this.dbName);
    this.#connections.push(raw);
    const gate = new PassGate(this);
    const box = (url: string) => Object.values(this.boxes).find((b) => b.origin === new URL(url).origin)!;
    // The extension signs in to its own box as the user, and to partner boxes as its own login.
    const signedIn = (url: string) => (url === OWN_URL ? OLENA : SYNC_USER);
    const context = (db: SyncDb, requests: RequestGate): SyncContext => ({
      db, settings: this.settings, now: this.clock.now, clientFor: ({ url }) => modelClient(box(url), signedIn(url), requests),
    });
    this.#worker = { raw, gate, engine: context(stoppable(raw, gate), gate), user: context(raw, OPEN_GATE) };
    return this.#worker;
  }

  /** Runs one action; everything up to its first database transaction happens before this returns. */
  act(action: Action): Promise<void> {
    const user = this.#worker!.user;
    const event = { seq: ++this.#seq, at: this.clock.now() };
    const viewerOf = (signedIn: boolean) => (signedIn ? { viewer: OLENA.id } : {});
    switch (action.kind) {
      case 'write': {
        const author = action.by === 'user' ? OLENA : PETRO;
        const id = this.boxes.A.addComment(action.order, action.text, author, action.visible);
        this.written.push({ ...event, box: 'A', order: action.order, id, text: action.text, author, visible: action.visible, linkedBefore: new Set(this.linkedSeen) });
        return Promise.resolve();
      }
      case 'partner-write': {
        const link = linkOf(this.world, action.link);
        const order = this.remoteOrderOf(link);
        if (order === undefined) return Promise.resolve();
        const author = PARTNERS[link.partner].person;
        const id = this.boxes[link.partner].addComment(order, action.text, author, action.visible);
        this.written.push({ ...event, box: link.partner, order, id, text: action.text, author, visible: action.visible, linkedBefore: new Set(this.linkedSeen) });
        return Promise.resolve();
      }
      case 'choose': {
        const own = this.written.filter((w) => w.box === 'A');
        const target = own[own.length - 1 - Math.min(action.back, own.length - 1)];
        if (!target) return Promise.resolve();
        const choice: Extract<ChoiceEvent, { kind: 'comment' }> = { ...event, kind: 'comment', order: target.order, commentId: target.id, share: action.share, ...viewerOf(action.signedIn) };
        this.choices.push(choice);
        return recordCommentChoice(user, target.order, target.id, action.share, choice.viewer).then((outcome) => {
          choice.outcome = outcome;
          this.note(`the choice for A#${target.id} "${target.text}" answers ${outcome}`);
        });
      }
      case 'composer':
        this.choices.push({ ...event, kind: 'composer', order: action.order, share: action.share, ...viewerOf(action.signedIn) });
        return recordComposerChoice(user, action.order, action.share, action.signedIn ? OLENA.id : undefined);
      case 'visit':
        return this.#visit(user, action.order);
    }
  }

  async #visit(user: SyncContext, order: string): Promise<void> {
    for (const link of await user.db.getAllFromIndex('links', 'byOrder', order)) {
      if (link.state === 'linked') await pollOne(user, { ...link, quietPolls: 0 });
    }
  }

  async step(step: Step): Promise<void> {
    if (step.kind === 'advance') this.clock.advance(step.ms);
    else if (step.kind === 'pass') await this.pass(step.plan);
    else {
      await this.worker();
      await this.act(step);
    }
    for (const box of Object.values(this.boxes)) box.landDue();
    const { user } = await this.worker();
    for (const link of this.links) {
      if ((await user.db.get('links', this.linkIdOf(link)))?.state === 'linked') this.linkedSeen.add(link.name);
    }
  }

  async pass(plan: PassPlan): Promise<void> {
    const worker = await this.worker();
    worker.gate.begin(plan);
    const outcome = await Promise.race([syncPass(worker.engine).then(() => 'done' as const), worker.gate.stop.then(() => 'stopped' as const)]);
    await Promise.all(worker.gate.started);
    worker.gate.begin(CALM);
    if (outcome === 'stopped') {
      // The next pass or message finds a new worker, with its own connection to the same database.
      worker.raw.close();
      this.#worker = null;
    }
  }

  /** Quiet time: rounds of 40 minutes and a pass with no faults, enough for every wait to end and every copy to be read back. */
  async settle(): Promise<void> {
    for (let round = 0; round < SETTLE_ROUNDS; round++) {
      this.clock.advance(SETTLE_STEP_MS);
      for (const box of Object.values(this.boxes)) box.landDue();
      await this.pass(CALM);
    }
  }

  /** What the user does about failed items: "retry" on each link. */
  async retryAll(): Promise<void> {
    const { user } = await this.worker();
    for (const link of this.links) await retryLink(user.db, this.linkIdOf(link), this.clock.now());
  }

  async close(): Promise<void> {
    for (const db of this.#connections) db.close();
    await deleteDB(this.dbName);
  }
}

// ---- the model of the guarantees ---------------------------------------------------------

type Decision = 'share' | 'private' | 'filtered';

/** What may become of one comment on one link: whether its copy must, or may, be in the other box. */
interface Expectation {
  comment: Written;
  copyText: string;
  must: boolean;
  may: boolean;
  why: string;
}

const attributed = (author: Person, company: string, text: string) => `${author.name} (${company}): ${text}`;

/** design.md, guarantee 4, as the decision for one outbound comment given what is on record. */
function decide(world: World, comment: Written, onRecord: ChoiceEvent[], onlyVisible: boolean): Decision {
  const own = onRecord.filter((e): e is Extract<ChoiceEvent, { kind: 'comment' }> => e.kind === 'comment' && e.order === comment.order && e.commentId === comment.id);
  const last = own.at(-1);
  if (last) {
    // Once private, always private; a choice made by someone else than the author keeps it private.
    const byAuthor = last.viewer === undefined || last.viewer === comment.author.id;
    return own.every((e) => e.share) && byAuthor ? 'share' : 'private';
  }
  const passes = !onlyVisible || comment.visible;
  const viewers = new Set(onRecord.flatMap((e) => (e.viewer ? [e.viewer] : [])));
  if (viewers.size > 0 && !viewers.has(comment.author.id)) return passes ? 'share' : 'filtered';
  const composer = onRecord.filter((e) => e.kind === 'composer' && e.order === comment.order).at(-1);
  if (!(composer ? composer.share : world.shareByDefault)) return 'private';
  return passes ? 'share' : 'filtered';
}

function outboundExpectation(run: ScheduleRun, link: LinkSpec, comment: Written): Expectation {
  const { world, choices } = run;
  const copyText = attributed(comment.author, OWN_HOST, comment.text);
  // The engine decides when the write starts, not before the hold window is over. Any state of the
  // choices from then on may be the one it saw: the one standing when the window closed, and each later one.
  const closes = comment.at + Math.max(HOLD_FLOOR_SECONDS, world.holdSeconds) * 1000;
  const first = choices.findIndex((e) => e.at >= closes);
  const decisions = new Set<Decision>();
  for (let n = first === -1 ? choices.length : first; n <= choices.length; n++) {
    decisions.add(decide(world, comment, choices.slice(0, n), world.onlyVisible[link.partner]));
  }
  const own = choices.filter((e) => e.kind === 'comment' && e.order === comment.order && e.commentId === comment.id);
  const madePrivate = (outcome: ChoiceOutcome) => own.some((e) => e.kind === 'comment' && !e.share && e.outcome === outcome);
  if (madePrivate('recorded')) return { comment, copyText, must: false, may: false, why: 'made private before any write: must not leave' };
  const may = decisions.has('share');
  if (!may) return { comment, copyText, must: false, may, why: `${[...decisions].join('/')}: must not leave` };
  // "already sent" says a write had started; with one link, that is this link's.
  const onlyLink = run.links.filter((l) => l.local === comment.order).length === 1;
  if (madePrivate('already-sent')) return { comment, copyText, must: onlyLink, may, why: 'made private too late (already sent)' };
  if (decisions.size > 1) return { comment, copyText, must: false, may, why: `${[...decisions].join(' or ')}, by timing` };
  if (run.sent(link) && !comment.linkedBefore.has(link.name)) return { comment, copyText, must: false, may, why: 'written before the link was made' };
  return { comment, copyText, must: true, may, why: 'must arrive' };
}

function inboundExpectation(run: ScheduleRun, link: LinkSpec, comment: Written): Expectation {
  const partner = PARTNERS[link.partner];
  const copyText = attributed(comment.author, partner.name, comment.text);
  if (run.world.onlyVisible[link.partner] && !comment.visible) return { comment, copyText, must: false, may: false, why: 'not client-visible: must not arrive' };
  if (run.sent(link) && !comment.linkedBefore.has(link.name)) return { comment, copyText, must: false, may: true, why: 'written before the link was made' };
  return { comment, copyText, must: true, may: true, why: 'must arrive' };
}

/** Whether the copies, in the order they are in, are one pick of the expected comments in theirs. */
function fits(expected: Expectation[], copies: string[]): boolean {
  const memo = new Map<number, boolean>();
  const from = (i: number, j: number): boolean => {
    if (i === expected.length) return j === copies.length;
    const key = i * (copies.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const e = expected[i]!;
    const result = (!e.must && from(i + 1, j)) || (e.may && copies[j] === e.copyText && from(i + 1, j + 1));
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

/** The first broken promise that explains a mismatch, for the report. */
function diagnose(expected: Expectation[], copies: string[]): string {
  for (const text of new Set([...copies, ...expected.map((e) => e.copyText)])) {
    const found = copies.filter((c) => c === text).length;
    const same = expected.filter((e) => e.copyText === text);
    const most = same.filter((e) => e.may).length;
    const least = same.filter((e) => e.must).length;
    if (found > most && most === 0 && same.length > 0) return `"${text}" must not have left, and is there ${found}×`;
    if (found > most && most === 0) return `"${text}" is no copy of any comment of the other side`;
    if (found > most) return `"${text}" is there ${found}×, at most ${most} allowed (doubled)`;
    if (found < least) return `"${text}" is there ${found}×, at least ${least} expected (lost)`;
  }
  return 'the copies are not in the order of their originals';
}

interface Direction {
  label: string;
  expected: Expectation[];
  copies: { id: string; content: string }[];
  lane: string;
}

function directions(run: ScheduleRun): Direction[] {
  const originals = new Set(run.written.map((w) => `${w.box}|${w.id}`));
  const copiesIn = (box: 'A' | PartnerKey, order: string, prefixes: string[]) => run.boxes[box].commentsOf(order)
    .filter((c) => !originals.has(`${box}|${c.id}`) && prefixes.some((p) => c.content.startsWith(p)))
    .map(({ id, content }) => ({ id, content }));
  return run.links.flatMap((link): Direction[] => {
    const remote = run.remoteOrderOf(link);
    const partner = PARTNERS[link.partner];
    const id = run.linkIdOf(link);
    const outbound = run.written.filter((w) => w.box === 'A' && w.order === link.local);
    const inbound = run.written.filter((w) => w.box === link.partner && w.order === remote);
    return [
      {
        label: `${link.name}, A${link.local} → ${partner.name} process ${remote ?? '(none)'}`,
        expected: outbound.map((c) => outboundExpectation(run, link, c)),
        copies: remote === undefined ? [] : copiesIn(link.partner, remote, [OLENA, PETRO].map((p) => attributed(p, OWN_HOST, ''))),
        lane: lanes.out(id),
      },
      {
        label: `${link.name}, ${partner.name} process ${remote ?? '(none)'} → A${link.local}`,
        expected: inbound.map((c) => inboundExpectation(run, link, c)),
        copies: copiesIn('A', link.local, [attributed(partner.person, partner.name, '')]),
        lane: lanes.in(id),
      },
    ];
  });
}

/** Every comment that is no one's original must be a copy along a link, never a copy of a copy. */
function strayComments(run: ScheduleRun): string[] {
  const originals = new Set(run.written.map((w) => `${w.box}|${w.id}`));
  const prefixesFor = (box: 'A' | PartnerKey, order: string): string[] => run.links.flatMap((link) => {
    if (box === 'A' && link.local === order) return [attributed(PARTNERS[link.partner].person, PARTNERS[link.partner].name, '')];
    if (box === link.partner && run.remoteOrderOf(link) === order) return [OLENA, PETRO].map((p) => attributed(p, OWN_HOST, ''));
    return [];
  });
  const copies = (Object.entries(run.boxes) as ['A' | PartnerKey, BoxModel][])
    .flatMap(([name, box]) => box.comments.filter((c) => !originals.has(`${name}|${c.id}`)).map((c) => ({ ...c, name })));
  const where = (c: (typeof copies)[number]) => `${c.name}#${c.id} "${c.content}" in process ${c.orderId}`;
  return copies.flatMap((copy) => {
    const source = copies.find((other) => copy.content.endsWith(`: ${other.content}`));
    if (source) return [`a copy of a copy (an echo, or a relay to another partner): ${where(copy)} copies ${where(source)}`];
    return prefixesFor(copy.name, copy.orderId).some((p) => copy.content.startsWith(p)) ? [] : [`stray comment: ${where(copy)}`];
  });
}

/**
 * The checks after the quiet time. Before the user's retry (`strict` false), a direction whose
 * lane holds a failed job may still lack comments: that failure is visible. After it, nothing may.
 */
async function check(run: ScheduleRun, strict: boolean): Promise<string[]> {
  const { user } = await run.worker();
  const problems = strayComments(run);
  const jobs = await user.db.getAll('outbox');
  const failed = jobs.filter((job) => job.state === 'parked' && job.error);
  const parked = new Set(failed.map((job) => job.lane));
  for (const job of jobs) {
    const what = `${job.kind} #${job.seq} on ${job.linkId} (${job.state}, ${job.attempts} attempts${job.error ? `, ${job.error.messageKey}` : ''})`;
    // A lane's later jobs wait behind its failed first one, by design: that one says why.
    const heldBack = failed.some((f) => f.lane === job.lane && f.seq! < job.seq!);
    if (strict) problems.push(`a job is left after the retry: ${what}`);
    else if (!(job.state === 'parked' && job.error) && !heldBack) problems.push(`a job waits without a visible failure: ${what}`);
  }
  for (const direction of directions(run)) {
    const texts = direction.copies.map((c) => c.content);
    if (fits(direction.expected, texts)) continue;
    const sendLane = direction.lane.replace(/\|(out|in)$/, '');
    if (!strict && (parked.has(direction.lane) || parked.has(sendLane)) && fits(direction.expected.map((e) => ({ ...e, must: false })), texts)) continue;
    problems.push([
      `${direction.label}: ${diagnose(direction.expected, texts)}`,
      '    originals, oldest first:',
      ...direction.expected.map((e) => `      ${e.comment.box}#${e.comment.id} "${e.comment.text}" by ${e.comment.author.name}${e.comment.visible ? '' : ' (not client-visible)'}: ${e.why}`),
      '    copies, oldest first:',
      ...direction.copies.map((c) => `      #${c.id} "${c.content}"`),
    ].join('\n'));
  }
  for (const link of run.links) {
    const record = await user.db.get('links', run.linkIdOf(link));
    if (strict && record?.state !== 'linked') problems.push(`${link.name} is ${record?.state ?? 'missing'} after the retry`);
    if (strict && record?.error) problems.push(`${link.name} still reports ${record.error.messageKey}`);
    const externalId = externalIdFor(OWN_URL, PARTNERS[link.partner].id, link.local);
    const processes = run.boxes[link.partner].orders.filter((order) => order.externalId === externalId).length;
    if (run.sent(link) && (processes > 1 || (strict && processes === 0))) problems.push(`${link.name}: ${processes} processes in ${PARTNERS[link.partner].name}`);
  }
  return problems;
}

/** A small seeded generator for the engine's jitter, so a schedule replays exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function runSchedule(world: World, steps: Step[]): Promise<void> {
  const run = new ScheduleRun(world);
  const random = vi.spyOn(Math, 'random').mockImplementation(seededRandom(world.seed));
  try {
    await run.start();
    for (const [i, step] of steps.entries()) {
      run.trace.push(`${String(i + 1).padStart(2)}. ${describeStep(world, step)}`);
      await run.step(step);
    }
    run.trace.push('then quiet time, with no faults');
    await run.settle();
    let problems = await check(run, false);
    if (problems.length === 0) {
      run.trace.push('then the user retries every link, and quiet time again');
      await run.retryAll();
      await run.settle();
      problems = await check(run, true);
    }
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\nwhat happened:\n${run.trace.join('\n')}`);
  } finally {
    random.mockRestore();
    await run.close();
  }
}

/** The failure a schedule ends in, or null when every guarantee held. */
async function failureOf(world: World, steps: Step[]): Promise<string | null> {
  try {
    await runSchedule(world, steps);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The schedule one part smaller each time: a step left out, or one fault, action or stop of a pass. */
function* smaller(steps: Step[]): Generator<Step[]> {
  for (let i = steps.length - 1; i >= 0; i--) yield steps.toSpliced(i, 1);
  for (const [i, step] of steps.entries()) {
    if (step.kind !== 'pass') continue;
    const { faults, during, stop } = step.plan;
    const withPlan = (plan: Partial<PassPlan>) => steps.with(i, { ...step, plan: { ...step.plan, ...plan } });
    for (const j of faults.keys()) yield withPlan({ faults: faults.toSpliced(j, 1) });
    for (const j of during.keys()) yield withPlan({ during: during.toSpliced(j, 1) });
    if (stop) yield withPlan({ stop: null });
  }
}

/** A failing schedule with every part that made no difference left out (fast-check's shrink can stop short of that). */
async function tidy(world: World, steps: Step[], failure: string): Promise<{ steps: Step[]; failure: string }> {
  for (let progress = true; progress;) {
    progress = false;
    for (const candidate of smaller(steps)) {
      const found = await failureOf(world, candidate);
      if (found === null) continue;
      [steps, failure, progress] = [candidate, found, true];
      break;
    }
  }
  return { steps, failure };
}

async function report(headline: string[], world: World, steps: Step[], failure: string): Promise<never> {
  const tidied = await tidy(world, steps, failure);
  throw new Error([...headline, '', 'The schedule:', describeSchedule(world, tidied.steps), '', 'What went wrong:', tidied.failure].join('\n'));
}

// ---- every step of one pass ------------------------------------------------------------------
// Random schedules seldom put a stop or a choice at one precise step. These put one at each step
// (or write) of one pass in turn, in two short schedules: a repeated text both ways on a link
// (also with the order linked to a second partner), and a send. Every run of these is the same.

const SWEEP_STEPS = 16;
const quiet = (ms: number): Step => ({ kind: 'advance', ms });
const calmPass: Step = { kind: 'pass', plan: CALM };
const mine = (text: string): Step => ({ kind: 'write', order: '101', by: 'user', visible: true, text });
const theirs = (text: string): Step => ({ kind: 'partner-write', link: 0, visible: true, text });

const oneLink = (sent: boolean): World => ({
  links: [{ spec: 0, sent }], onlyVisible: { B: false, C: false }, shareByDefault: true, holdSeconds: 3, seed: 1,
  changes: { A: 'comments-batch', B: 'comments-batch', C: 'per-link' },
});
const twoPartners: World = { ...oneLink(false), links: [{ spec: 0, sent: false }, { spec: 1, sent: false }] };

/** "ok" both ways, delivered; "ok" again both ways, read at once (the page is open): the pass under test writes the second pair. */
const repeatedText = (plan: PassPlan): Step[] => [
  mine('ok'), theirs('ok'), calmPass, quiet(3_000), calmPass,
  mine('ok'), theirs('ok'), { kind: 'visit', order: '101' }, quiet(3_000),
  { kind: 'pass', plan },
  calmPass, quiet(1_000), calmPass, quiet(2_000), calmPass,
];

/** The send is the pass under test; comments follow on both sides, then the next pass runs as planned. */
const afterSend = (plan: PassPlan, next: PassPlan): Step[] => [{ kind: 'pass', plan }, mine('t1'), theirs('t2'), { kind: 'pass', plan: next }];
/** A next pass that finds both boxes' comment lists failing at first, or one that finds nothing failing. */
const nextPasses: PassPlan[] = [
  { ...CALM, faults: [0, 1].map((nth) => ({ request: 'comment/get' as const, nth, fault: { kind: 'box-down' as const } })) },
  CALM,
];

function* sweeps(): Generator<{ world: World; steps: Step[] }> {
  const landings: Landing[] = ['now', { afterMs: 5_000 }, 'never'];
  const faults: Fault[] = [
    { kind: 'box-down' }, { kind: 'timeout', applied: true }, { kind: 'timeout', applied: false },
    ...landings.map((lands): Fault => ({ kind: 'connection-lost', lands })), { kind: 'answer-cut' },
    { kind: 'garbled', applied: true }, { kind: 'garbled', applied: false }, { kind: 'token-refused' }, { kind: 'slow', ms: 14_000 },
  ];
  for (let step = 0; step < SWEEP_STEPS; step++) {
    for (const lands of landings) yield { world: oneLink(false), steps: repeatedText({ ...CALM, stop: { at: { step }, lands } }) };
    const choice: Action = { kind: 'choose', back: 0, share: false, signedIn: true };
    yield { world: oneLink(false), steps: repeatedText({ ...CALM, during: [{ at: { step }, action: choice }] }) };
    for (const next of nextPasses) yield { world: oneLink(true), steps: afterSend({ ...CALM, stop: { at: { step }, lands: 'now' } }, next) };
  }
  for (const world of [oneLink(false), twoPartners]) {
    for (const fault of faults) {
      for (const nth of [0, 1]) yield { world, steps: repeatedText({ ...CALM, faults: [{ request: 'comment/set', nth, fault }] }) };
    }
  }
}

describe('the sync engine against a model of the guarantees', () => {
  // About 25 ms a schedule (200 in about 6 s); a long run gets the time it needs.
  it(`keeps every guarantee over ${SCHEDULES} random schedules`, async () => {
    const details = await fc.check(fc.asyncProperty(worldArb, scheduleArb, runSchedule), {
      numRuns: SCHEDULES, seed: SEED, ...(PATH ? { path: PATH } : {}),
    });
    if (!details.failed) return;
    const [world, steps] = details.counterexample!;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    await report([
      `A guarantee broke after ${details.numRuns} random schedules (${details.numShrinks} shrinks; below with the steps that made no difference left out).`,
      `Replay fast-check's counterexample: ENGINE_SEED=${details.seed} ENGINE_PATH=${details.counterexamplePath} npx vitest run test/unit/engine-model.test.ts`,
    ], world, steps, error);
  }, Math.max(30_000, SCHEDULES * 400));

  it('keeps every guarantee with a stop, a choice or a fault at each step of a pass', async () => {
    for (const { world, steps } of sweeps()) {
      const failure = await failureOf(world, steps);
      if (failure !== null) await report(['A guarantee broke with one event at one step of a pass.'], world, steps, failure);
    }
  }, 60_000);
});
