// Teacher dashboard entry: the "new lab" form without ?code=, the live dashboard with it.
import { dashboardPage, needSecret } from './teacher-lib/dashboard';
import { initLang } from './teacher-lib/i18n';
import { setupPage } from './teacher-lib/setup';
import { labSecret, takeSecretFromFragment } from './teacher-lib/store';

const CODE_RE = /^[A-HJ-NP-Z2-9]{6}$/;

async function main(): Promise<void> {
  initLang();
  const raw = new URLSearchParams(location.search).get('code');
  if (raw === null) return setupPage();
  const code = raw.trim().toUpperCase();
  const fromFragment = takeSecretFromFragment();
  if (!CODE_RE.test(code)) return needSecret(code, { fr: 'Ce code de lab n’est pas valide.', en: 'This lab code is not valid.' });
  if (fromFragment) labSecret.set(code, fromFragment);
  const secret = fromFragment ?? labSecret.get(code);
  if (!secret) return needSecret(code, null);
  return dashboardPage(code, secret);
}

void main();
