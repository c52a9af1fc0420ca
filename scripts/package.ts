// `npm run package`: the release zips, from the builds `npm run build` just wrote.
//   release/partner-sync-onebox-<version>-chrome.zip   from dist/
//   release/partner-sync-onebox-<version>-firefox.zip  from dist-firefox/
//   release/SHA256SUMS                                  checksums to publish beside them
// The version is package.json's. The zips are reproducible: files in a fixed order with a fixed
// timestamp, so the same sources give the same bytes (and the same checksums).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

const ROOT = resolve(import.meta.dirname, '..');
const RELEASE = join(ROOT, 'release');

interface Target {
  browser: 'chrome' | 'firefox';
  dir: string;
  /** What only a correct build of this browser has, so a stale or swapped folder is caught. */
  check: (manifest: Record<string, unknown>) => string | undefined;
}

const TARGETS: Target[] = [
  {
    browser: 'chrome',
    dir: join(ROOT, 'dist'),
    check: (m) => (typeof (m.background as { service_worker?: unknown })?.service_worker === 'string' ? undefined : 'no background.service_worker'),
  },
  {
    browser: 'firefox',
    dir: join(ROOT, 'dist-firefox'),
    check: (m) => {
      const gecko = (m.browser_specific_settings as { gecko?: { id?: unknown } } | undefined)?.gecko;
      if (typeof gecko?.id !== 'string') return 'no browser_specific_settings.gecko.id';
      if (!Array.isArray((m.background as { scripts?: unknown })?.scripts)) return 'no background.scripts';
      return undefined;
    },
  },
];

// ---- a minimal ZIP writer (deflate, UTF-8 names, no directory entries, fixed timestamps) ----

// 1980-01-01 00:00, the first date a ZIP can hold: the same in every build.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

export function zip(files: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the file mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Every file under `dir`, sorted, with `/` separators; dotfiles and source maps are left out. */
export function filesOf(dir: string): Array<{ name: string; data: Buffer }> {
  const out: Array<{ name: string; data: Buffer }> = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder).sort()) {
      if (entry.startsWith('.') || entry.endsWith('.map')) continue;
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push({ name: relative(dir, path).split(sep).join('/'), data: readFileSync(path) });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function main(): void {
  const { version, name } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; name: string };
  mkdirSync(RELEASE, { recursive: true });
  const sums: string[] = [];
  for (const target of TARGETS) {
    const manifestPath = join(target.dir, 'manifest.json');
    if (!existsSync(manifestPath)) throw new Error(`${relative(ROOT, target.dir)}/ is missing: run "npm run build" first`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    if (manifest.version !== version) {
      throw new Error(`${relative(ROOT, manifestPath)} has version ${String(manifest.version)}, package.json ${version}: run "npm run build"`);
    }
    const problem = target.check(manifest);
    if (problem) throw new Error(`${relative(ROOT, manifestPath)} is not a ${target.browser} build: ${problem}`);

    const fileName = `${name}-${version}-${target.browser}.zip`;
    const files = filesOf(target.dir);
    const archive = zip(files);
    writeFileSync(join(RELEASE, fileName), archive);
    sums.push(`${createHash('sha256').update(archive).digest('hex')}  ${fileName}`);
    console.log(`release/${fileName}: ${files.length} files, ${(archive.length / 1024).toFixed(1)} KiB`);
  }
  writeFileSync(join(RELEASE, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  console.log('release/SHA256SUMS');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
