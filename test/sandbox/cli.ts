// `npm run sandbox -- --port 5101 --name "Supplier A" [--host 127.0.0.1] [--keyed-writes]
//  [--latency-ms N] [--seed demo|empty] [--today YYYY-MM-DD]`: one box on loopback until Ctrl-C.
import { parseArgs } from 'node:util';
import { isLoopbackHost, startSandbox } from './index.ts';
import { fullName } from './state.ts';

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(2);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: '0' },
        name: { type: 'string', default: 'Supplier A' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: 'demo' },
        'keyed-writes': { type: 'boolean', default: false },
        'latency-ms': { type: 'string', default: '0' },
        today: { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
})();

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port ${values.port}`);
const latency = Number(values['latency-ms']);
if (!Number.isFinite(latency) || latency < 0) fail(`bad --latency-ms ${values['latency-ms']}`);
if (!isLoopbackHost(values.host)) fail(`--host must be a loopback address (127.0.0.1, ::1, localhost), got ${values.host}`);
if (values.seed !== 'demo' && values.seed !== 'empty') fail(`--seed must be demo or empty`);

const sandbox = await startSandbox({ port, host: values.host, name: values.name, seed: values.seed, ...(values.today ? { today: values.today } : {}) });
sandbox.quirks.keyedWrites = values['keyed-writes'];
sandbox.quirks.latencyMs = latency;

const lines = [
  `${sandbox.name} (OneBox sandbox) at ${sandbox.url}/`,
  `  API:    ${sandbox.url}/api/v2/<entity>/<action>/`,
  `  Orders: ${sandbox.url}/   (pages sign in as the first employee; add ?as=<login> to switch)`,
  `  Control: ${sandbox.url}/__sandbox/state | log | quirks | faults`,
  `  Quirks: keyedWrites=${String(sandbox.quirks.keyedWrites)} latencyMs=${sandbox.quirks.latencyMs}`,
  '  Employees (login / REST API password):',
  ...sandbox.state.employees.map((e) => {
    const contact = sandbox.state.contacts.find((c) => c.id === e.id);
    const who = contact ? `${fullName(contact)} <${contact.emails[0] ?? ''}>` : '';
    return `    #${e.id} ${e.login} / ${e.restapipassword}   ${who}`;
  }),
  'Ctrl-C to stop.',
];
console.log(lines.join('\n'));

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
