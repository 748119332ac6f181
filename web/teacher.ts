// Teacher dashboard entry: the "new lab" form without ?code=, the live dashboard with it.
import { CODE_RE } from './lib/api';
import { initLang } from './lib/i18n';
import { dashboardPage } from './teacher-lib/dashboard';
import { setupPage } from './teacher-lib/setup';
import { needSecret, secretFromKey } from './teacher-lib/access';
import { labSecret, takeSecretFromFragment } from './teacher-lib/store';

async function main(): Promise<void> {
  initLang();
  const raw = new URLSearchParams(location.search).get('code');
  if (raw === null) return setupPage();
  const code = raw.trim().toUpperCase();
  const fromFragment = takeSecretFromFragment();
  if (!CODE_RE.test(code)) return needSecret(code, { fr: 'Ce code de lab n’est pas valide.', en: 'This lab code is not valid.' });
  if (fromFragment) labSecret.set(code, fromFragment);
  // No secret in this tab: the instructor key, if this tab has it, opens any lab.
  let secret = fromFragment ?? labSecret.get(code);
  if (!secret) {
    secret = await secretFromKey(code);
    if (secret) labSecret.set(code, secret);
  }
  if (!secret) return needSecret(code, null);
  return dashboardPage(code, secret);
}

void main();
