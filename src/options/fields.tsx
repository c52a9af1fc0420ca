// Labelled form controls. Each ties its hint and its error to the control (aria-describedby),
// marks it invalid, and takes its id from the settings path, so that the error list can move
// the focus to it.
import type { ComponentChildren } from 'preact';
import type { SettingsIssue } from '../settings/issues';
import { FIELD_LABELS, fieldId, issueText, useT } from './text';

export type IssueLookup = (path: SettingsIssue['path']) => SettingsIssue | undefined;

interface Common {
  path: SettingsIssue['path'];
  label: string;
  hint?: string;
  issues: IssueLookup;
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function Messages({ id, hint, issue }: { id: string; hint?: string; issue: SettingsIssue | undefined }) {
  const t = useT();
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {issue && (
        <p class="field-error" id={`${id}-error`}>
          {issueText(issue, t)}
        </p>
      )}
    </>
  );
}

interface TextFieldProps extends Common {
  value: string;
  onInput: (value: string) => void;
  /** A password: hidden as typed. */
  secret?: boolean;
  inputMode?: 'numeric' | 'email' | 'url' | 'text';
  autoComplete?: string;
  required?: boolean;
  /** A control placed beside the input, e.g. a picker filled from the box. */
  aside?: ComponentChildren;
}

export function TextField({ path, label, hint, issues, value, onInput, secret, inputMode, autoComplete = 'off', required, aside }: TextFieldProps) {
  const id = fieldId(path);
  const issue = issues(path);
  const control = {
    id,
    autoComplete,
    required,
    value,
    'aria-invalid': issue ? ('true' as const) : undefined,
    'aria-describedby': describedBy(id, Boolean(hint), Boolean(issue)),
    onInput: (event: { currentTarget: HTMLInputElement }) => onInput(event.currentTarget.value),
  };
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <div class="control-row">
        {secret ? <input type="password" {...control} /> : <input type="text" inputMode={inputMode} spellcheck={false} {...control} />}
        {aside}
      </div>
      <Messages id={id} hint={hint} issue={issue} />
    </div>
  );
}

interface CheckFieldProps extends Common {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

export function CheckField({ path, label, hint, issues, checked, onChange }: CheckFieldProps) {
  const id = fieldId(path);
  const issue = issues(path);
  return (
    <div class={issue ? 'field check invalid' : 'field check'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(issue))}
        onChange={(event) => onChange(event.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      <Messages id={id} hint={hint} issue={issue} />
    </div>
  );
}

interface SelectFieldProps extends Common {
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}

export function SelectField({ path, label, hint, issues, value, options, onChange }: SelectFieldProps) {
  const id = fieldId(path);
  const issue = issues(path);
  return (
    <div class={issue ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={issue ? 'true' : undefined}
        aria-describedby={describedBy(id, Boolean(hint), Boolean(issue))}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <Messages id={id} hint={hint} issue={issue} />
    </div>
  );
}

interface LoginFieldsProps {
  /** The settings path of the box: `ownBox` or `partners.N`. */
  path: SettingsIssue['path'];
  issues: IssueLookup;
  login: string;
  password: string;
  onChange: (patch: { login?: string; restApiPassword?: string }) => void;
  /** The user's own sign-in (a password manager may fill it), or an integration account's. */
  own: boolean;
}

/** A box's API login and REST API password, side by side. */
export function LoginFields({ path, issues, login, password, onChange, own }: LoginFieldsProps) {
  const t = useT();
  return (
    <div class="pair">
      <TextField
        path={[...path, 'login']}
        label={t(FIELD_LABELS.login)}
        issues={issues}
        value={login}
        required
        {...(own ? { autoComplete: 'username' } : { hint: t('options_partner_login_hint') })}
        onInput={(value) => onChange({ login: value })}
      />
      <TextField
        path={[...path, 'restApiPassword']}
        label={t(FIELD_LABELS.restApiPassword)}
        hint={t('options_password_hint')}
        issues={issues}
        value={password}
        secret
        autoComplete={own ? 'current-password' : 'new-password'}
        required
        onInput={(value) => onChange({ restApiPassword: value })}
      />
    </div>
  );
}
