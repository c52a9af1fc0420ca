// The OneBox module: the only part of the extension that knows the box's wire format.
// See client.ts for the calls and their `documented` / `assumed` tags.
export { OneBoxError, isOneBoxError, type OneBoxErrorKind } from './errors.ts';
export { normaliseBoxUrl } from './url.ts';
export { createOneBoxClient, DOCUMENTED_DIALECT, ENDPOINTS, REQUEST_TIMEOUT_MS, type OneBoxClientOptions } from './client.ts';
export { createInMemoryMemory, type KeyValueMemory } from './memory.ts';
export { parseBoxDate } from './dates.ts';
export { compareIds } from './ids.ts';
export { CAPABILITIES } from './types.ts';
export type {
  BoxCredentials,
  BoxDialect,
  Capability,
  CapabilityFinding,
  DialectDiscovery,
  DiscoveryOptions,
  Comment,
  Contact,
  ContactInput,
  EndpointTag,
  OneBoxClient,
  Order,
  OrderChange,
  OrderWrite,
  ProbeCall,
  ProbePlan,
  ProbeResult,
  Status,
  TestWrite,
  Workflow,
} from './types.ts';
