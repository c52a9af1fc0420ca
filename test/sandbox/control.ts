// `/__sandbox/*`: the same switches as the programmatic handle, over HTTP, for `npm start`
// and checks from outside the test process. These paths keep working while the box is down
// (otherwise nothing could bring it back), and are never subject to faults or latency.
//
//   GET  /__sandbox/state    data minus passwords
//   GET  /__sandbox/log      API calls received
//   GET  /__sandbox/quirks   POST a partial Quirks object to change them
//   GET  /__sandbox/faults   POST {"failNext":3,"status":503} | {"commitThenDropNextWrite":true}
//                            | {"garbageNext":"html"} | {"downForMs":5000} | {"up":true} | {"reset":true}
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GARBAGE_KINDS, type FaultSwitch } from './faults.ts';
import { BLOCKS_VARIANTS, COMPOSER_VARIANTS, isBlocksVariant, isComposerVariant } from './html.ts';
import { BodyTooLarge, isRecord, readBody, sendJson } from './http.ts';
import type { ApiCall, Quirks, SandboxState } from './types.ts';

export interface ControlContext {
  state: SandboxState;
  quirks: Quirks;
  faults: FaultSwitch;
  log: ApiCall[];
}

class ControlError extends Error {}

export function publicState(state: SandboxState): Omit<SandboxState, 'employees'> & { employees: { id: string; login: string }[] } {
  return { ...state, employees: state.employees.map(({ id, login }) => ({ id, login })) };
}

export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, ctx: ControlContext): Promise<void> {
  const what = path.slice('/__sandbox/'.length).replace(/\/$/, '');
  try {
    if (req.method === 'GET') {
      if (what === 'state') return sendJson(res, 200, publicState(ctx.state));
      if (what === 'log') return sendJson(res, 200, ctx.log);
      if (what === 'quirks') return sendJson(res, 200, ctx.quirks);
      if (what === 'faults') return sendJson(res, 200, ctx.faults.snapshot());
    } else if (req.method === 'POST' && (what === 'quirks' || what === 'faults')) {
      const body = await readJson(req);
      if (what === 'quirks') {
        applyQuirks(ctx.quirks, body);
        return sendJson(res, 200, ctx.quirks);
      }
      applyFaults(ctx.faults, body);
      return sendJson(res, 200, ctx.faults.snapshot());
    }
    sendJson(res, 404, { error: `Unknown sandbox control ${req.method ?? ''} ${path}` });
  } catch (err) {
    if (err instanceof ControlError || err instanceof RangeError) sendJson(res, 400, { error: err.message });
    else if (err instanceof BodyTooLarge) sendJson(res, 413, { error: 'Body too large' });
    else throw err;
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ControlError('Body must be JSON');
  }
  if (!isRecord(body)) throw new ControlError('Body must be a JSON object');
  return body;
}

function nullableCount(value: unknown, key: string): number | null {
  if (value === null) return null;
  if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return value;
  throw new ControlError(`${key} must be a positive number or null`);
}

const BOOLEAN_QUIRKS = ['keyedWrites', 'ignoreFilters', 'ignoreOrderby', 'firstFilterValueOnly', 'commentsOfOneOrder', 'commentsOfAnotherOrder', 'dropsManager'] as const;
type BooleanQuirk = (typeof BOOLEAN_QUIRKS)[number];

function isBooleanQuirk(key: string): key is BooleanQuirk {
  return (BOOLEAN_QUIRKS as readonly string[]).includes(key);
}

/** Validates the whole patch before changing anything. */
export function applyQuirks(quirks: Quirks, patch: Record<string, unknown>): void {
  const next: Quirks = { ...quirks };
  for (const [key, value] of Object.entries(patch)) {
    if (isBooleanQuirk(key)) {
      if (typeof value !== 'boolean') throw new ControlError(`${key} must be a boolean`);
      next[key] = value;
    } else if (key === 'tokenLifetimeCalls') {
      next.tokenLifetimeCalls = nullableCount(value, key);
      if (next.tokenLifetimeCalls !== null && !Number.isInteger(next.tokenLifetimeCalls)) throw new ControlError(`${key} must be an integer`);
    } else if (key === 'tokenLifetimeSeconds') {
      next.tokenLifetimeSeconds = nullableCount(value, key);
    } else if (key === 'latencyMs' || key === 'blockDelayMs') {
      if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new ControlError(`${key} must be a number >= 0`);
      next[key] = value;
    } else if (key === 'dialect') {
      if (value !== 'wrapped' && value !== 'top-level') throw new ControlError('dialect must be wrapped or top-level');
      next.dialect = value;
    } else if (key === 'composer') {
      if (!isComposerVariant(value)) throw new ControlError(`composer must be one of ${COMPOSER_VARIANTS.join(', ')}`);
      next.composer = value;
    } else if (key === 'blocks') {
      if (!isBlocksVariant(value)) throw new ControlError(`blocks must be one of ${BLOCKS_VARIANTS.join(', ')}`);
      next.blocks = value;
    } else {
      throw new ControlError(`Unknown quirk ${key}`);
    }
  }
  Object.assign(quirks, next);
}

const FAULT_KEYS = ['reset', 'failNext', 'status', 'commitThenDropNextWrite', 'garbageNext', 'downForMs', 'up'];

function applyFaults(faults: FaultSwitch, body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) if (!FAULT_KEYS.includes(key)) throw new ControlError(`Unknown fault ${key}`);
  // Validate first, then apply, reset before the rest.
  if (body.failNext !== undefined && typeof body.failNext !== 'number') throw new ControlError('failNext must be a number');
  if (body.status !== undefined && (typeof body.status !== 'number' || body.failNext === undefined)) {
    throw new ControlError('status is a number given with failNext');
  }
  const garbage = GARBAGE_KINDS.find((kind) => kind === body.garbageNext);
  if (body.garbageNext !== undefined && garbage === undefined) throw new ControlError(`garbageNext must be one of ${GARBAGE_KINDS.join(', ')}`);
  if (body.downForMs !== undefined && (typeof body.downForMs !== 'number' || !(body.downForMs > 0))) {
    throw new ControlError('downForMs must be a positive number');
  }
  if (body.reset === true) faults.reset();
  if (typeof body.failNext === 'number') faults.failNext(body.failNext, typeof body.status === 'number' ? body.status : 500);
  if (body.commitThenDropNextWrite === true) faults.commitThenDropNextWrite();
  if (garbage !== undefined) faults.garbageNext(garbage);
  if (typeof body.downForMs === 'number') faults.downFor(body.downForMs);
  if (body.up === true) faults.up();
}
