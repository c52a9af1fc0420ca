// One sandbox box for a test file: started before its first test, closed after its last, and
// back to no faults and no quirks before each test, so that no test sees another's switches.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { defaultQuirks, startSandbox, type Sandbox } from '../sandbox/index';
import type { SandboxOptions } from '../sandbox/types';

/** A box without faults or quirks, as onebox-api.md describes it. */
export function resetBox(box: Sandbox): void {
  box.faults.reset();
  Object.assign(box.quirks, defaultQuirks());
}

export function useSandbox(options: SandboxOptions): Sandbox {
  const sandbox = {} as Sandbox;
  beforeAll(async () => {
    Object.assign(sandbox, await startSandbox(options));
  });
  afterAll(async () => {
    await sandbox.close?.();
  });
  beforeEach(() => resetBox(sandbox));
  return sandbox;
}
