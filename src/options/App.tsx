// The options page: the form, saving (with the host permissions it needs), "Test connection",
// import and export. Nothing is stored until everything in the form is valid.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { resolveLanguage, translate, type MessageKey } from '../i18n';
import type { ConnectionTest as ConnectionRequest } from '../messages/protocol';
import { request } from '../messages/send';
import { normaliseBoxUrl } from '../onebox';
import { uiLanguage } from '../platform/browser-api';
import { keepKnownPasswords, toSettingsFile } from '../settings/file';
import { pathKey, type SettingsIssue } from '../settings/issues';
import { boxOrigins } from '../settings/origins';
import { parseSettings } from '../settings/schema';
import { saveSettings, type ManagedPartnerList } from '../settings/store';
import type { BoxSettings, Settings } from '../settings/types';
import { releaseUnneededAccess, requestAccess } from './access';
import { failure, type ConnectionState } from './ConnectionTest';
import { duplicatePartner, fromDraft, newPartner, toDraft, type Draft, type PartnerDraft } from './draft';
import type { IssueLookup } from './fields';
import { IssueList } from './IssueList';
import { managedKey, ManagedPartners } from './ManagedPartners';
import { OwnBoxSection } from './OwnBoxSection';
import { PartnerEditor } from './PartnerEditor';
import { PreferencesSection } from './PreferencesSection';
import { SettingsFileSection, type ImportResult } from './SettingsFileSection';
import { fieldId, LanguageContext } from './text';

export interface Loaded {
  settings: Settings;
  /** Set when the stored settings could not be read (the form then starts empty). */
  storedIssues: SettingsIssue[];
  managed: ManagedPartnerList;
  /** Box origins of the saved settings the extension may not reach. */
  missing: string[];
}

type Path = SettingsIssue['path'];
type Notice = { good: boolean; messageKey: MessageKey; substitutions?: string[] };

const EXPORT_FILE_NAME = 'partner-sync-settings.json';
const OWN_BOX = 'own';
const partnerKey = (partner: PartnerDraft): string => `partner:${partner.key}`;

/** The address, login and password of the box at a path of the form: the own box or a partner. */
function boxAt(draft: Draft, path: Path): { box: BoxSettings; urlField: 'url' | 'boxUrl' } | null {
  if (path[0] === 'ownBox') {
    const { url, login, restApiPassword } = draft.ownBox;
    return { box: { url, login, restApiPassword }, urlField: 'url' };
  }
  const partner = draft.partners[Number(path[1])];
  return partner ? { box: { url: partner.boxUrl, login: partner.login, restApiPassword: partner.restApiPassword }, urlField: 'boxUrl' } : null;
}

/** What is wrong with a box's address, login or password, said at its fields. */
function credentialIssues(draft: Draft, path: Path): SettingsIssue[] {
  const at = boxAt(draft, path);
  const parsed = at && parseSettings({ version: 1, ownBox: at.box }, { requirePasswords: true });
  if (!at || !parsed || parsed.ok) return [];
  return parsed.issues.map((issue) => ({ ...issue, path: [...path, issue.path[1] === 'url' ? at.urlField : String(issue.path[1])] }));
}

/** What "Test connection" checks beyond the credentials: the partner's ids and assignee, when typed. */
function partnerPlan(partner: { workflowId: string; statusId: string; assigneeEmail: string }, testWrite: boolean): ConnectionRequest['plan'] {
  const id = (value: string) => (/^[1-9]\d{0,14}$/.test(value.trim()) ? value.trim() : undefined);
  return { workflowId: id(partner.workflowId), statusId: id(partner.statusId), assigneeEmail: partner.assigneeEmail.trim() || undefined, testWrite };
}

/** The saved settings as a form, keeping each partner's key so its connection report stays. */
function redraft(settings: Settings, previous: Draft): Draft {
  const fresh = toDraft(settings);
  return { ...fresh, partners: fresh.partners.map((partner, index) => ({ ...partner, key: previous.partners[index]?.key ?? partner.key })) };
}

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function App({ loaded }: { loaded: Loaded }) {
  const managed = loaded.managed.partners;
  const managedIds = managed.map((partner) => partner.id);
  const [saved, setSaved] = useState(loaded.settings);
  const [draft, setDraft] = useState(() => toDraft(loaded.settings));
  const [showAllIssues, setShowAllIssues] = useState(false);
  const [testedBoxes, setTestedBoxes] = useState<Path[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [importResult, setImportResult] = useState<ImportResult | null>(null);
  const [missing, setMissing] = useState(loaded.missing);
  // A newer read of the company policy arrives as new props.
  useEffect(() => setMissing(loaded.missing), [loaded.missing]);
  const [connections, setConnections] = useState<Record<string, ConnectionState>>({});
  const [busy, setBusy] = useState(false);
  const [summaryFocus, setSummaryFocus] = useState(0);
  const summaryRef = useRef<HTMLDivElement>(null);
  const addPartnerRef = useRef<HTMLButtonElement>(null);

  // The page speaks the language chosen in the form at once, before it is saved.
  const language = resolveLanguage(draft.preferences.language, uiLanguage());
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = translate(language, 'options_title');
  }, [language]);
  useEffect(() => {
    if (summaryFocus > 0) summaryRef.current?.focus();
  }, [summaryFocus]);

  const file = fromDraft(draft);
  const checked = parseSettings(file, { requirePasswords: true, managedIds, asTyped: true });
  const allIssues = checked.ok ? [] : checked.issues;
  // Before the first save attempt, only the boxes whose connection was tested show their problems.
  const visibleIssues = [...(showAllIssues ? allIssues : []), ...testedBoxes.flatMap((path) => credentialIssues(draft, path))];
  const lookup: IssueLookup = (path) => visibleIssues.find((issue) => pathKey(issue.path) === pathKey(path));
  const savedFile = useMemo(() => JSON.stringify(fromDraft(toDraft(saved))), [saved]);
  const dirty = JSON.stringify(file) !== savedFile;

  const setOwnBox = (patch: Partial<Draft['ownBox']>) => setDraft((d) => ({ ...d, ownBox: { ...d.ownBox, ...patch } }));
  const setPartner = (key: number, patch: Partial<PartnerDraft>) =>
    setDraft((d) => ({ ...d, partners: d.partners.map((p) => (p.key === key ? { ...p, ...patch } : p)) }));
  const setPreferences = (patch: Partial<Draft['preferences']>) => setDraft((d) => ({ ...d, preferences: { ...d.preferences, ...patch } }));
  const takenIds = [...managedIds, ...draft.partners.map((p) => p.id)];

  /** Validates and stores `next`; false when the form has problems (then listed and focused). */
  async function save(next: Draft): Promise<boolean> {
    const parsed = parseSettings(fromDraft(next), { requirePasswords: true, managedIds, asTyped: true });
    if (!parsed.ok) {
      setShowAllIssues(true);
      setNotice(null);
      setSummaryFocus((n) => n + 1);
      return false;
    }
    setBusy(true);
    try {
      const settings = parsed.settings;
      const needed = boxOrigins({ ...settings, partners: [...managed, ...settings.partners] });
      // Asked before anything awaits for long: Chrome prompts only within the click.
      const stillMissing = await requestAccess(needed);
      await saveSettings(settings);
      await releaseUnneededAccess(needed);
      setSaved(settings);
      setDraft(redraft(settings, next));
      setShowAllIssues(false);
      setTestedBoxes([]);
      setMissing(stillMissing);
      setNotice({ good: true, messageKey: 'options_saved' });
      return true;
    } catch (error) {
      setNotice({ good: false, messageKey: 'options_save_failed', substitutions: [error instanceof Error ? error.message : String(error)] });
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** Tests the box at a path of the form, or a company-wide partner's box. */
  async function testConnection(key: string, target: Path | BoxSettings, plan: ConnectionRequest['plan']) {
    const box = Array.isArray(target) ? boxAt(draft, target)?.box : target;
    if (!box) return;
    if (Array.isArray(target) && credentialIssues(draft, target).length > 0) {
      setTestedBoxes((boxes) => [...boxes, target]);
      document.getElementById(fieldId([...target, target[0] === 'ownBox' ? 'url' : 'boxUrl']))?.focus();
      return;
    }
    const setState = (state: ConnectionState) => setConnections((all) => ({ ...all, [key]: state }));
    setState({ state: 'running' });
    try {
      const origin = normaliseBoxUrl(box.url);
      if ((await requestAccess([origin])).length > 0) {
        setState({ state: 'failed', messageKey: 'options_access_denied', substitutions: [origin] });
        return;
      }
      setState({ state: 'done', report: await request('settings/test-connection', { box: { ...box, url: origin }, plan }) });
    } catch (error) {
      setState(failure(error));
    }
  }

  async function importFile(chosen: File) {
    let json: unknown;
    try {
      json = JSON.parse(await chosen.text());
    } catch {
      setImportResult({ ok: false, messageKey: 'options_import_failed', issues: [{ path: [], messageKey: 'settings_error_not_json' }], file: null });
      return;
    }
    const parsed = parseSettings(json, { managedIds });
    if (!parsed.ok) {
      setImportResult({ ok: false, messageKey: 'options_import_failed', issues: parsed.issues, file: json });
      return;
    }
    const next = toDraft(keepKnownPasswords(parsed.settings, saved));
    setDraft(next);
    setConnections({});
    const stored = await save(next);
    // A valid file without passwords fills the form; the missing passwords are listed to enter.
    setImportResult({ ok: true, messageKey: stored ? 'options_imported' : 'options_imported_needs_passwords' });
  }

  // A failure stays until the next save; "saved" gives way to "unsaved changes" on the next edit.
  const say = (said: Notice) => translate(language, said.messageKey, said.substitutions);
  const [statusTone, statusText] =
    notice && !notice.good ? ['bad', say(notice)] : dirty ? ['hint', translate(language, 'options_unsaved')] : notice ? ['good', say(notice)] : ['hint', ''];
  const ownWorkflows = connections[OWN_BOX]?.state === 'done' ? connections[OWN_BOX].report.workflows : undefined;

  return (
    <LanguageContext.Provider value={language}>
      <main>
        <h1>{translate(language, 'options_title')}</h1>
        <p class="intro">{translate(language, 'options_intro')}</p>
        {loaded.storedIssues.length > 0 && (
          <div class="notice bad" role="alert">
            <p>{translate(language, 'options_stored_unreadable')}</p>
            <IssueList issues={loaded.storedIssues} file={null} />
          </div>
        )}
        {missing.length > 0 && (
          <div class="notice bad" role="alert">
            <p>{translate(language, 'options_access_missing', [missing.join(', ')])}</p>
            <button type="button" onClick={() => void requestAccess(missing).then(setMissing)}>
              {translate(language, 'options_grant_access')}
            </button>
          </div>
        )}
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save(draft);
          }}
        >
          {showAllIssues && allIssues.length > 0 && (
            <div class="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
              <h2>{translate(language, 'options_errors_title', [String(allIssues.length)])}</h2>
              <IssueList issues={allIssues} file={file} linkToFields />
            </div>
          )}
          <OwnBoxSection
            box={draft.ownBox}
            issues={lookup}
            onChange={setOwnBox}
            connection={connections[OWN_BOX]}
            onTest={() => void testConnection(OWN_BOX, ['ownBox'], {})}
          />
          <section aria-labelledby="partners-title">
            <h2 id="partners-title">{translate(language, 'options_partners')}</h2>
            <p class="hint">{translate(language, 'options_partners_hint')}</p>
            <ManagedPartners
              partners={managed}
              issues={loaded.managed.issues}
              policy={loaded.managed.policy}
              connections={connections}
              onTest={(partner, testWrite) =>
                void testConnection(
                  managedKey(partner),
                  { url: partner.boxUrl, login: partner.login, restApiPassword: partner.restApiPassword },
                  partnerPlan({ workflowId: String(partner.workflowId), statusId: String(partner.statusId ?? ''), assigneeEmail: partner.assigneeEmail }, testWrite),
                )
              }
            />
            {draft.partners.length === 0 && <p>{translate(language, 'options_no_partners')}</p>}
            {draft.partners.map((partner, index) => (
              <PartnerEditor
                key={partner.key}
                partner={partner}
                index={index}
                issues={lookup}
                onChange={(patch) => setPartner(partner.key, patch)}
                onDuplicate={() =>
                  setDraft((d) => {
                    const copy = duplicatePartner(partner, takenIds, translate(language, 'options_copy_suffix'));
                    const partners = [...d.partners];
                    partners.splice(index + 1, 0, copy);
                    return { ...d, partners };
                  })
                }
                onRemove={() => {
                  setDraft((d) => ({ ...d, partners: d.partners.filter((p) => p.key !== partner.key) }));
                  addPartnerRef.current?.focus();
                }}
                connection={connections[partnerKey(partner)]}
                onTest={(testWrite) => void testConnection(partnerKey(partner), ['partners', index], partnerPlan(partner, testWrite))}
                ownWorkflows={ownWorkflows}
              />
            ))}
            <button type="button" class="secondary" ref={addPartnerRef} onClick={() => setDraft((d) => ({ ...d, partners: [...d.partners, newPartner(takenIds)] }))}>
              {translate(language, 'options_add_partner')}
            </button>
          </section>
          <PreferencesSection preferences={draft.preferences} issues={lookup} onChange={setPreferences} />
          <div class="save-bar">
            <button type="submit" data-partner-sync="save-settings" disabled={busy}>
              {translate(language, 'options_save')}
            </button>
            <p role="status" class={statusTone}>
              {statusText}
            </p>
          </div>
        </form>
        <SettingsFileSection
          onImport={(chosen) => void importFile(chosen)}
          onExport={(includePasswords) => download(`${JSON.stringify(toSettingsFile(saved, includePasswords), null, 2)}\n`, EXPORT_FILE_NAME)}
          result={importResult}
          dirty={dirty}
        />
      </main>
    </LanguageContext.Provider>
  );
}
