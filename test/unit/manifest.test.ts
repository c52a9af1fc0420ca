// The manifest asks for the least it can, every permission is explained in the README, and the
// Firefox manifest is the Chrome one with only the differences Firefox needs.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREFOX_MIN_VERSION, GECKO_ID, firefoxManifest } from '../../scripts/firefox-manifest';

const ROOT = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const contentMatches = (m: Record<string, unknown>) =>
  (Array.isArray(m.content_scripts) ? (m.content_scripts as Array<{ matches?: unknown }>) : []).flatMap((cs) => list(cs.matches));

/** The README's "## Permissions" section, up to the next "## " heading. */
function permissionsSection(): string {
  const start = readme.search(/^## Permissions\b/m);
  if (start < 0) return '';
  const rest = readme.slice(start + 1);
  const next = rest.search(/^## /m);
  return next < 0 ? rest : rest.slice(0, next);
}

// A pattern that reaches every site, or every site of a scheme.
const BROAD = /^(<all_urls>|\*:\/\/\*\/\*|https?:\/\/\*\/\*|\*:\/\/\*\/.*|https?:\/\/\*\/.*)$/;

describe('least privilege', () => {
  it('grants no host at install: no host_permissions, no <all_urls>, broad patterns only optional', () => {
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
    expect(list(manifest.permissions).filter((p) => p.includes('://') || p.includes('<'))).toEqual([]);
    // The static content script runs only on OneBox's own domains.
    expect(contentMatches(manifest).filter((m) => BROAD.test(m))).toEqual([]);
    for (const match of contentMatches(manifest)) expect(match).toMatch(/^https:\/\/\*\.(1b\.app|crm-onebox\.com)\/\*$/);
  });

  it('asks only for the API permissions the README explains, and nothing that warns about browsing data', () => {
    expect(list(manifest.permissions).sort()).toEqual(['alarms', 'scripting', 'storage']);
    expect(manifest.optional_permissions ?? []).toEqual([]);
  });

  it('explains every permission, optional host and content-script match in the README', () => {
    const section = permissionsSection();
    expect(section, 'README.md has no "## Permissions" section').not.toBe('');
    const missing = [...list(manifest.permissions), ...list(manifest.optional_host_permissions), ...contentMatches(manifest)].filter(
      (item) => !section.includes(`\`${item}\``),
    );
    expect(missing, 'each is named in backticks in README "## Permissions"').toEqual([]);
  });

  it('uses only the locale messages that exist for its __MSG_ names', () => {
    const en = JSON.parse(readFileSync(join(ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;
    const names = [...JSON.stringify(manifest).matchAll(/__MSG_(\w+)__/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !Object.hasOwn(en, name))).toEqual([]);
    expect(manifest.default_locale).toBe('en');
  });

  it('takes a version both browsers accept from package.json', () => {
    expect(pkg.version).toMatch(/^\d+(\.\d+){0,3}$/);
  });
});

describe('the Firefox manifest', () => {
  const firefox = firefoxManifest({ ...manifest, version: pkg.version });

  it('runs the background as scripts, with a gecko id and a minimum version', () => {
    expect(firefox.background).toEqual({ scripts: [(manifest.background as { service_worker: string }).service_worker], type: 'module' });
    const gecko = (firefox.browser_specific_settings as { gecko: Record<string, unknown> }).gecko;
    expect(gecko.id).toBe(GECKO_ID);
    expect(gecko.id).toMatch(/^[a-zA-Z0-9-._]*@[a-zA-Z0-9-._]+$/);
    expect(gecko.strict_min_version).toBe(FIREFOX_MIN_VERSION);
    // 128: optional_host_permissions; also MV3, storage.session and persistent registered scripts.
    expect(Number(FIREFOX_MIN_VERSION.split('.')[0])).toBeGreaterThanOrEqual(128);
    expect(gecko.data_collection_permissions).toEqual({ required: ['none'] });
  });

  it('asks for a Chrome that can close local storage to content scripts (140)', () => {
    expect(Number(manifest.minimum_chrome_version)).toBeGreaterThanOrEqual(140);
  });

  it('differs from the Chrome manifest only where Firefox needs it', () => {
    const without = (m: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(m).filter(([key]) => !keys.includes(key)));
    expect(without(firefox, ['background', 'browser_specific_settings'])).toEqual(
      without({ ...manifest, version: pkg.version }, ['background', 'minimum_chrome_version', 'storage']),
    );
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox).not.toHaveProperty('storage');
  });

  it('keeps the same least privilege', () => {
    expect(firefox.permissions).toEqual(manifest.permissions);
    expect(firefox.optional_host_permissions).toEqual(manifest.optional_host_permissions);
    expect(firefox.host_permissions).toBeUndefined();
    expect(contentMatches(firefox)).toEqual(contentMatches(manifest));
  });

  it('refuses a manifest without a background service worker', () => {
    expect(() => firefoxManifest({ manifest_version: 3 })).toThrow(/service_worker/);
  });
});

// ---- company-wide setup: the README's policy examples work as written ----

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; additionalProperties?: JsonSchema | boolean; id?: string; $ref?: string };

/** The fenced ```json blocks of one README section. */
function jsonBlocks(heading: string): unknown[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const level = heading.split(' ')[0]!;
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}

/** Every schema with an `id`, which `$ref` may name from anywhere in the schema. */
function schemaIds(schema: JsonSchema, out = new Map<string, JsonSchema>()): Map<string, JsonSchema> {
  if (schema.id) out.set(schema.id, schema);
  for (const sub of [...Object.values(schema.properties ?? {}), schema.items, typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined]) {
    if (sub) schemaIds(sub, out);
  }
  return out;
}

/** What a Chrome-style schema (`public/managed-schema.json`) would drop or reject in a value. */
function schemaProblems(value: unknown, schema: JsonSchema, path: string, refs = schemaIds(schema)): string[] {
  const resolved = schema.$ref ? refs.get(schema.$ref) : schema;
  if (!resolved) return [`${path}: unknown $ref ${schema.$ref}`];
  const type = resolved.type;
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  if (type && type !== actual && !(type === 'number' && actual === 'integer')) return [`${path}: is ${actual}, the schema says ${type}`];
  if (Array.isArray(value)) return resolved.items ? value.flatMap((item, i) => schemaProblems(item, resolved.items!, `${path}[${i}]`, refs)) : [];
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => {
      const sub = resolved.properties?.[key] ?? (typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined);
      return sub ? schemaProblems(item, sub, `${path}.${key}`, refs) : [`${path}.${key}: not declared in the schema`];
    });
  }
  return [];
}

describe('company-wide setup in the README', async () => {
  const { parseManagedPartners } = await import('../../src/settings/schema');
  const managedSchema = JSON.parse(readFileSync(join(ROOT, 'public/managed-schema.json'), 'utf8')) as JsonSchema;
  const chromePolicy = jsonBlocks('### Chrome and Chromium')[0] as { '3rdparty'?: { extensions?: Record<string, unknown> } } | undefined;
  const firefoxPolicy = jsonBlocks('### Firefox')[0] as { policies?: { '3rdparty'?: { Extensions?: Record<string, unknown> }; ExtensionSettings?: Record<string, unknown> } } | undefined;
  const examples = {
    chrome: Object.values(chromePolicy?.['3rdparty']?.extensions ?? {})[0],
    firefox: firefoxPolicy?.policies?.['3rdparty']?.Extensions?.[GECKO_ID],
  };

  it('has an example policy for Chrome and for Firefox (under the Firefox build id)', () => {
    expect(examples.chrome).toBeTypeOf('object');
    expect(examples.firefox).toBeTypeOf('object');
    expect(Object.keys(firefoxPolicy?.policies?.ExtensionSettings ?? {})).toEqual([GECKO_ID]);
  });

  it.each(['chrome', 'firefox'] as const)('its %s example gives partners the extension accepts', (browser) => {
    const { partners, issues } = parseManagedPartners(examples[browser]);
    expect(issues).toEqual([]);
    expect(partners.length).toBeGreaterThan(0);
  });

  it.each(['chrome', 'firefox'] as const)('its %s example fits public/managed-schema.json (Chrome drops what the schema does not declare)', (browser) => {
    expect(schemaProblems(examples[browser], managedSchema, 'policy')).toEqual([]);
  });

  it('checks the schema for real (a missing or mistyped field is seen)', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { more: { $ref: 'Partner' }, partners: { type: 'array', items: { id: 'Partner', type: 'object', properties: { id: { type: 'string' }, workflowId: { type: 'integer' } } } } },
    };
    expect(schemaProblems({ partners: [{ id: 'b', workflowId: 12 }], more: { id: 'c' } }, schema, 'p')).toEqual([]);
    expect(schemaProblems({ partners: [{ id: 'b', workflowId: '12', boxUrl: 'x' }], extra: 1 }, schema, 'p')).toEqual([
      'p.partners[0].workflowId: is string, the schema says integer',
      'p.partners[0].boxUrl: not declared in the schema',
      'p.extra: not declared in the schema',
    ]);
  });
});
