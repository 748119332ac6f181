// Join page: code + name (+ team) → POST /api/labs/:code/join → seat token stored per lab →
// node console. A stored token for the code offers to resume that seat instead.
import type { LobbyInfo } from '../src/protocol/lobby';
import type { LabSettings, LabStatus, SeatInfo } from '../src/protocol/messages';
import { MAX_NAME_CHARS } from '../src/protocol/limits';
import { CODE_RE, apiErrorText, apiJson, normalizeCode, type ErrorWords } from './lib/api';
import { byId, el, icon } from './lib/dom';
import { bi, biAttr, biOf, biText, biTitle, initLang, onLang } from './lib/i18n';
import { statusOf } from './lib/labels';
import { forgetSeat, isSeat, loadSeat, saveSeat } from './lib/storage';

/** What some API errors mean on this form (others: the shared wording in lib/api.ts). */
const JOIN_WORDS: ErrorWords = {
  team_full: { fr: 'Cette équipe est complète. Choisissez une autre équipe ou « automatique ».', en: 'This team is full. Pick another team or “automatic”.' },
  student_id_required: { fr: 'Ce lab demande votre numéro d’étudiant ou votre e-mail.', en: 'This lab asks for your student number or e-mail.' },
  not_found: { fr: 'Aucun lab avec ce code. Vérifiez le code au tableau.', en: 'No lab with this code. Check the code on the board.' },
  bad_request: { fr: 'Formulaire invalide : vérifiez le nom (1 à 32 caractères).', en: 'Invalid form: check the name (1 to 32 characters).' },
  unauthorized: { fr: 'Cette place n’est plus valide (jeton inconnu ou révoqué).', en: 'This seat is no longer valid (unknown or revoked token).' },
  name_taken: {
    fr: 'Ce nom est déjà pris dans ce lab. Si c’est votre place (autre appareil, navigateur fermé), ouvrez « J’ai déjà une place » et entrez votre code de reprise ; sinon, choisissez un autre nom.',
    en: 'This name is already taken in this lab. If it is your seat (another device, browser closed), open “I already have a seat” and type your rejoin code; otherwise pick another name.',
  },
  lab_full: {
    fr: 'Toutes les places sont prises. Si vous aviez déjà une place, entrez votre nom et votre code de reprise ; sinon, demandez à l’enseignant.',
    en: 'Every seat is taken. If you already had a seat, type your name and your rejoin code; otherwise ask the teacher.',
  },
  bad_rejoin_code: { fr: 'Ce code de reprise ne correspond pas à ce nom. Vérifiez-le sur votre page de nœud ou demandez-le à l’enseignant.', en: 'This rejoin code does not match this name. Check it on your node page or ask the teacher.' },
};

initLang();
biTitle('Rejoindre un lab — Quorum Lab', 'Join a lab — Quorum Lab');

const form = byId<HTMLFormElement>('join-form');
const codeInput = byId<HTMLInputElement>('code');
const nameInput = byId<HTMLInputElement>('name');
const teamSelect = byId<HTMLSelectElement>('team');
const joinBtn = byId<HTMLButtonElement>('join-btn');
const joinError = byId('join-error');
const rejoinInput = byId<HTMLInputElement>('rejoin');
const rejoinBox = byId<HTMLDetailsElement>('rejoin-box');
const lobby = byId('lobby');
const resume = byId('resume');
const resumeError = byId('resume-error');

nameInput.maxLength = MAX_NAME_CHARS;
biAttr(codeInput, 'placeholder', 'ex. K7QXM4', 'e.g. K7QXM4');
onLang((l) => (byId('team-auto').textContent = l === 'fr' ? 'Automatique' : 'Automatic'));

/** Shows an API error: the bilingual explanation when the code is known, and the server's words. */
function showError(target: HTMLElement, code: string, message: string): void {
  const known = apiErrorText(code, JOIN_WORDS);
  target.replaceChildren(icon('warn'), known ? biOf(known) : bi('Erreur : ', 'Error: '));
  if (message && (!known || code === 'bad_request')) target.append(' ', el('span', { class: 'server-msg', text: `(${message})` }));
  target.hidden = false;
}

function clearError(target: HTMLElement): void {
  target.hidden = true;
  target.replaceChildren();
}

// ------------------------------------------------------------ lobby info

let lobbySeq = 0;
let lastLookedUp = '';

async function lookUp(code: string): Promise<void> {
  if (code === lastLookedUp) return;
  lastLookedUp = code;
  const seq = ++lobbySeq;
  showResume(code);
  if (!CODE_RE.test(code)) {
    lobby.hidden = true;
    fillTeams(null);
    return;
  }
  const r = await apiJson<LobbyInfo>(`/api/labs/${code}`);
  if (seq !== lobbySeq) return; // the code changed meanwhile
  if (!r.ok) {
    lobby.hidden = true;
    fillTeams(null);
    if (r.code === 'not_found') showError(joinError, r.code, r.message);
    return;
  }
  clearError(joinError);
  renderLobby(r.data);
}

/** The student-ID field shows (and is required) only when the teacher asks for it. */
function showStudentId(ask: boolean): void {
  byId('student-id-field').hidden = !ask;
  byId<HTMLInputElement>('student-id').required = ask;
}

function renderLobby(info: LobbyInfo): void {
  showStudentId(!!info.settings.askStudentId);
  byId('lobby-code').textContent = info.code;
  byId('lobby-name').textContent = info.title;
  const st = statusOf(info.status);
  const status = byId('lobby-status');
  status.replaceChildren(el('span', { class: `badge ${st.tone}` }, icon(st.icon), biOf(st)));
  if (info.locked) status.append(' ', el('span', { class: 'badge warn' }, icon('lock'), bi('inscriptions verrouillées', 'joining locked')));
  const list = byId('lobby-teams');
  list.replaceChildren(
    ...info.teams.map((t) =>
      el(
        'li',
        { class: t.free > 0 ? '' : 'full' },
        el('span', { class: 'team-name' }, bi(`Équipe ${t.team}`, `Team ${t.team}`)),
        el(
          'span',
          { class: `badge ${t.free > 0 ? 'ok' : 'muted'}` },
          t.free > 0
            ? bi(`${t.free} place${t.free > 1 ? 's' : ''} libre${t.free > 1 ? 's' : ''}`, `${t.free} free seat${t.free > 1 ? 's' : ''}`)
            : bi('complète', 'full'),
        ),
      ),
    ),
  );
  lobby.hidden = false;
  fillTeams(info.teams);
}

function fillTeams(teams: LobbyInfo['teams'] | null): void {
  const keep = teamSelect.value;
  const auto = byId('team-auto');
  teamSelect.replaceChildren(auto);
  for (const t of teams ?? []) {
    const o = el('option', { attrs: { value: String(t.team) } });
    biText(o, `Équipe ${t.team}${t.free ? '' : ' (complète)'}`, `Team ${t.team}${t.free ? '' : ' (full)'}`);
    o.disabled = t.free === 0;
    teamSelect.append(o);
  }
  teamSelect.value = [...teamSelect.options].some((o) => o.value === keep && !o.disabled) ? keep : '';
}

// ------------------------------------------------------------ resume a stored seat

function showResume(code: string): void {
  clearError(resumeError);
  const stored = CODE_RE.test(code) ? loadSeat(code) : null;
  resume.hidden = !stored;
  if (!stored) return;
  const s = stored.seat;
  byId('resume-seat').replaceChildren(
    el('strong', { class: 'mono', text: s.role === 'qdevice' ? 'QDevice' : s.node }),
    ' · ',
    bi(`Équipe ${s.team}`, `Team ${s.team}`),
    ' · ',
    el('span', { class: 'student-name', text: s.name }),
  );
}

function goToNode(code: string, token?: string): void {
  // Without storage (blocked) the token rides in the fragment, which never reaches the server.
  location.assign(`/node.html?code=${encodeURIComponent(code)}${token ? `#t=${encodeURIComponent(token)}` : ''}`);
}

byId('resume-btn').addEventListener('click', async () => {
  const code = normalizeCode(codeInput.value);
  const stored = loadSeat(code);
  if (!stored) return showResume(code);
  const btn = byId<HTMLButtonElement>('resume-btn');
  btn.disabled = true;
  const r = await apiJson<{ seat: SeatInfo }>(`/api/labs/${code}/me`, { token: stored.token });
  btn.disabled = false;
  if (r.ok && isSeat(r.data.seat)) {
    saveSeat(code, { token: stored.token, seat: r.data.seat });
    goToNode(code);
    return;
  }
  if (r.status === 401) {
    forgetSeat(code);
    resume.hidden = true;
    showError(joinError, 'unauthorized', '');
    nameInput.focus();
    return;
  }
  showError(resumeError, r.ok ? 'bad_json' : r.code, r.ok ? '' : r.message);
});

byId('forget-btn').addEventListener('click', () => {
  forgetSeat(normalizeCode(codeInput.value));
  resume.hidden = true;
  nameInput.focus();
});

// ------------------------------------------------------------ the form

codeInput.addEventListener('input', () => {
  const pos = codeInput.selectionStart;
  const norm = normalizeCode(codeInput.value);
  if (norm !== codeInput.value) {
    codeInput.value = norm;
    if (pos !== null) codeInput.setSelectionRange(Math.min(pos, norm.length), Math.min(pos, norm.length));
  }
  codeInput.setCustomValidity('');
  void lookUp(norm);
});

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearError(joinError);
  const code = normalizeCode(codeInput.value);
  const name = nameInput.value.trim();
  if (!CODE_RE.test(code)) {
    joinError.replaceChildren(icon('warn'), bi('Le code compte 6 caractères (lettres et chiffres, sans 0, O, 1 ni I).', 'The code has 6 characters (letters and digits, no 0, O, 1 or I).'));
    joinError.hidden = false;
    codeInput.setAttribute('aria-invalid', 'true');
    codeInput.focus();
    return;
  }
  codeInput.removeAttribute('aria-invalid');
  if (name.length < 1 || name.length > MAX_NAME_CHARS) {
    joinError.replaceChildren(icon('warn'), bi('Entrez un nom de 1 à 32 caractères.', 'Enter a name of 1 to 32 characters.'));
    joinError.hidden = false;
    nameInput.setAttribute('aria-invalid', 'true');
    nameInput.focus();
    return;
  }
  nameInput.removeAttribute('aria-invalid');
  const body: { name: string; team?: number; rejoinCode?: string; studentId?: string } = { name };
  const studentId = byId<HTMLInputElement>('student-id').value.trim();
  if (studentId && !byId('student-id-field').hidden) body.studentId = studentId;
  const rejoinCode = rejoinInput.value.trim().toUpperCase();
  if (rejoinCode) body.rejoinCode = rejoinCode;
  else if (teamSelect.value) body.team = Number(teamSelect.value);
  joinBtn.disabled = true;
  joinBtn.setAttribute('aria-busy', 'true');
  const r = await apiJson<{ seat: SeatInfo; token: string; rejoinCode?: string }>(`/api/labs/${code}/join`, { method: 'POST', body });
  joinBtn.disabled = false;
  joinBtn.removeAttribute('aria-busy');
  if (!r.ok) {
    showError(joinError, r.code, r.message);
    if (r.code === 'name_taken' || r.code === 'lab_full') rejoinBox.open = true;
    if (r.code === 'name_taken') nameInput.focus();
    if (r.code === 'team_full') {
      lastLookedUp = '';
      void lookUp(code); // refresh the free seats
    }
    return;
  }
  if (typeof r.data?.token !== 'string' || !isSeat(r.data.seat)) {
    showError(joinError, 'bad_json', '');
    return;
  }
  const saved = saveSeat(code, { token: r.data.token, seat: r.data.seat, ...(typeof r.data.rejoinCode === 'string' ? { rejoinCode: r.data.rejoinCode } : {}) });
  goToNode(code, saved ? undefined : r.data.token);
});

// ------------------------------------------------------------ start

const fromUrl = normalizeCode(new URLSearchParams(location.search).get('code') ?? '');
// The teacher's rejoin link (roster): ?code=…&name=…&rejoin=… fills the whole form.
const params = new URLSearchParams(location.search);
const nameFromUrl = params.get('name');
const rejoinFromUrl = params.get('rejoin');
if (nameFromUrl) nameInput.value = nameFromUrl.slice(0, MAX_NAME_CHARS);
if (rejoinFromUrl) {
  rejoinInput.value = rejoinFromUrl.slice(0, 16);
  rejoinBox.open = true;
}
if (fromUrl) {
  codeInput.value = fromUrl;
  void lookUp(fromUrl);
  nameInput.focus();
} else {
  codeInput.focus();
}
