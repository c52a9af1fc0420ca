// `npm start`: builds the extension, starts two sandbox boxes ("Supplier A" and "Buyer B") with
// demo data, and opens Chromium with the extension on an order page of box A.
// `npm start -- --headless` runs the same walkthrough without a display, saves screenshots in
// the folder it names, and exits.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { startSandbox } from '../test/sandbox/index';
import { launchWithExtension } from '../test/support/chromium';
import { runWalkthrough } from './walkthrough';

const ROOT = resolve(import.meta.dirname, '..');
const headless = process.argv.includes('--headless');

if (!headless && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('No display found (DISPLAY is not set), so Chromium cannot open a window here.');
  console.error('Run the same walkthrough headless instead; it saves screenshots:');
  console.error('  npm start -- --headless');
  process.exit(1);
}

console.log('Building the extension...');
await build({ root: ROOT, logLevel: 'warn' });
const boxA = await startSandbox({ port: 5101, name: 'Supplier A' });
const boxB = await startSandbox({ port: 5102, name: 'Buyer B' });
// The partner's box speaks the other read dialect (onebox-api.md), so the walkthrough shows both:
// "Test connection" lists what it found on each, and the sync runs across them.
boxB.quirks.dialect = 'top-level';
console.log(`Box "Supplier A": ${boxA.url}  (login olena / olena-secret)`);
console.log(`Box "Buyer B":    ${boxB.url}  (login partner-sync / sync-secret)`);

const browser = await launchWithExtension({ headless });
const screenshots = resolve(ROOT, 'screenshots');
mkdirSync(screenshots, { recursive: true });
const page = await runWalkthrough({ browser, boxA, boxB, screenshots: headless ? screenshots : null });

if (headless) {
  console.log(`\nWalkthrough done. Screenshots are in ${screenshots}/`);
  await browser.close();
  await Promise.all([boxA.close(), boxB.close()]);
} else {
  console.log('\nChromium is open on an order page of box A. Close the window or press Ctrl-C to stop.');
  page.context().on('close', () => void Promise.all([boxA.close(), boxB.close()]).then(() => process.exit(0)));
  process.on('SIGINT', () => void browser.close().then(() => process.exit(0)));
}
