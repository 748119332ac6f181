// nano / vi: a terminal line cannot hold a full-screen editor, so the page opens its own editor on
// the files a student may edit (CommandResult.edit) and sends the saved text back as an `edit`
// input (rules/corosync-conf.ts saves it). Every other use is refused with a hint.
import type { Ctx } from '../kernel.js';
import { saveEdit } from '../rules/corosync-conf.js';
import type { NodeName } from '../types.js';
import { EDITABLE_PATHS } from '../../protocol/limits.js';
import { hint, type Res, res, type Sh } from './common.js';
import { fsLookup, resolvePath } from './files.js';

/** The files the page's editor may open (corosync.conf as pmxcfs shares it): the `edit` frame's
 * list, src/protocol/limits.ts. */
const EDITABLE: readonly string[] = EDITABLE_PATHS;

export function nano(sh: Sh, args: string[], typed: string): Res {
  const target = args.find((a) => !a.startsWith('-'));
  if (target === undefined || ['top', 'htop'].includes(typed))
    return res(
      `${typed}: full-screen programs cannot run in this terminal\n` +
        hint('use cat to read files; nano /etc/pve/corosync.conf opens the editor', 'lisez avec cat ; nano /etc/pve/corosync.conf ouvre l’éditeur'),
      1,
    );
  const abs = resolvePath(sh, target);
  if (abs === '/etc/corosync/corosync.conf')
    return res(
      `${typed}: ${abs} is the local copy pmxcfs writes\n` +
        hint('edit /etc/pve/corosync.conf: pmxcfs copies it to every node', 'modifiez /etc/pve/corosync.conf : pmxcfs la recopie sur chaque nœud'),
      1,
    );
  const f = EDITABLE.includes(abs) ? fsLookup(sh, abs) : null;
  if (!f || !('file' in f))
    return res(
      `${typed}: ${abs}: this lab's editor only opens ${EDITABLE.join(', ')}\n` +
        hint('read other files with cat; change them with pvecm, ha-manager, qm', 'lisez les autres fichiers avec cat ; modifiez-les avec pvecm, ha-manager, qm'),
      1,
    );
  return { output: '', exitCode: 0, edit: { path: abs, text: f.file() } };
}

/** The `edit` input: the page's editor saved `path`; what the terminal shows (rules/corosync-conf.ts
 * decides). */
export function saveFile(c: Ctx, node: NodeName, path: string, text: string): Res {
  const r = saveEdit(c, node, path, text);
  return r.ok ? res(r.lines.join('\n')) : res([...r.lines, hint(r.hint.en, r.hint.fr)].join('\n'), 1);
}
