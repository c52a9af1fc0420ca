import { render } from 'preact';
import { boxOrigins } from '../settings/origins';
import { loadManagedPartners, loadStoredSettings, refreshManagedPolicy, type ManagedPartnerList } from '../settings/store';
import { missingAccess } from './access';
import { App } from './App';
import './options.css';

const root = document.getElementById('app')!;
const [stored, cached] = await Promise.all([loadStoredSettings(), loadManagedPartners()]);

async function show(managed: ManagedPartnerList): Promise<void> {
  const missing = await missingAccess(boxOrigins({ ...stored.settings, partners: [...managed.partners, ...stored.settings.partners] }));
  render(<App loaded={{ settings: stored.settings, storedIssues: stored.issues, managed, missing }} />, root);
}

await show(cached);
// The copy may be older than the policy (e.g. just after install): the policy as it is now.
const fresh = await refreshManagedPolicy();
if (JSON.stringify(fresh.policy) !== JSON.stringify(cached.policy)) await show(fresh);
