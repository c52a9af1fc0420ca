// The user's own box: where the content script runs and orders are sent from.
import { ConnectionTest, type ConnectionState } from './ConnectionTest';
import type { OwnBoxDraft } from './draft';
import { LoginFields, TextField, type IssueLookup } from './fields';
import { FIELD_LABELS, useT } from './text';

interface Props {
  box: OwnBoxDraft;
  issues: IssueLookup;
  onChange: (patch: Partial<OwnBoxDraft>) => void;
  connection: ConnectionState | undefined;
  onTest: () => void;
}

export function OwnBoxSection({ box, issues, onChange, connection, onTest }: Props) {
  const t = useT();
  const path = ['ownBox'];
  return (
    <section aria-labelledby="own-box-title">
      <h2 id="own-box-title">{t(FIELD_LABELS.ownBox)}</h2>
      <p class="hint">{t('options_own_box_hint')}</p>
      <div class="card">
        <TextField
          path={[...path, 'url']}
          label={t(FIELD_LABELS.url)}
          hint={t('options_box_url_hint')}
          issues={issues}
          value={box.url}
          inputMode="url"
          required
          onInput={(url) => onChange({ url })}
        />
        <LoginFields path={path} issues={issues} login={box.login} password={box.restApiPassword} onChange={onChange} own />
        <TextField
          path={[...path, 'companyName']}
          label={t(FIELD_LABELS.companyName)}
          hint={t('options_company_name_hint')}
          issues={issues}
          value={box.companyName}
          onInput={(companyName) => onChange({ companyName })}
        />
        <ConnectionTest state={connection} onTest={() => onTest()} />
      </div>
    </section>
  );
}
