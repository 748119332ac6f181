// The command registry: name, aliases, usage, bilingual help and handler of every command of the
// node terminal. `help` and dispatch are generated from it; docs/commands.md lists every entry (a
// unit test checks it).
import { nodeConfig } from '../kernel.js';
import { CLEAR_SCREEN, dateLine, isoLocal, nodeClock } from '../format.js';
import { chronyc, timedatectl } from './clock.js';
import type { I18nText } from '../types.js';
import { hint, type Res, res, type Sh } from './common.js';
import { apt } from './apt.js';
import { pvesm, qmrestore, vzdump } from './backup.js';
import { cfgtool } from './cfgtool.js';
import { cmapctl } from './cmapctl.js';
import { quorumtool } from './corosync.js';
import { nano } from './editor.js';
import { cat, fileWrite, ls } from './files.js';
import { haManager } from './ha-manager.js';
import { ip } from './ip.js';
import { ping } from './ping.js';
import { pvecm } from './pvecm.js';
import { qm } from './qm.js';
import { systemctl } from './systemctl.js';

/** One command of the node terminal. */
export interface Command {
  name: string;
  /** other names that run the same handler (the handler gets the name typed) */
  aliases?: string[];
  /** usage lines, as `help` shows them */
  usage: string[];
  /** what it is for, in both languages (one short line) */
  help: I18nText;
  /** false: answered (with a refusal and a hint) but not advertised by `help` */
  listed?: boolean;
  run(sh: Sh, args: string[], typed: string): Res;
}

const refuse = (text: string, en: string, fr: string, code: number): Res => res(`${text}\n` + hint(en, fr), code);

export const COMMANDS: Command[] = [
  {
    name: 'pvecm',
    usage: ['pvecm status | nodes | expected <N>', 'pvecm qdevice setup <IP> [--force] | remove'],
    help: { fr: 'état du quorum, QDevice (vote externe)', en: 'quorum state, QDevice (external vote)' },
    run: (sh, args) => pvecm(sh, args),
  },
  {
    name: 'corosync-quorumtool',
    usage: ['corosync-quorumtool -s | -l | -m [-i] [-H]', 'corosync-quorumtool -e <N> | -v <votes> [-n <nodeid>]'],
    help: { fr: 'votequorum : état, membres, votes', en: 'votequorum: status, members, votes' },
    run: (sh, args) => quorumtool(sh, args),
  },
  {
    name: 'corosync-cfgtool',
    usage: ['corosync-cfgtool -s [-b] | -n | -R'],
    help: { fr: 'état des liens corosync (knet)', en: 'corosync link status (knet)' },
    run: (sh, args) => cfgtool(sh, args),
  },
  {
    name: 'corosync-cmapctl',
    usage: ['corosync-cmapctl [<préfixe>…] | -g <clé>'],
    help: { fr: 'clés de configuration et d’exécution', en: 'configuration and runtime keys' },
    run: (sh, args) => cmapctl(sh, args),
  },
  {
    name: 'ha-manager',
    usage: [
      'ha-manager status | config',
      'ha-manager add|remove vm:<ID>',
      'ha-manager set vm:<ID> --state started|stopped|disabled|ignored [--group <g>] [--max_restart N] [--max_relocate N]',
      'ha-manager groupadd <g> --nodes pve1:2,pve2:1 [--restricted 1] [--nofailback 1]',
      'ha-manager groupset <g> [OPTIONS] | groupremove <g> | groupconfig',
      'ha-manager migrate|relocate vm:<ID> <node>',
      'ha-manager crm-command node-maintenance enable|disable <node>',
    ],
    help: { fr: 'haute disponibilité', en: 'high availability' },
    run: (sh, args) => haManager(sh, args),
  },
  {
    name: 'qm',
    usage: [
      'qm list | status | config <ID>',
      'qm start|stop|shutdown <ID>',
      'qm migrate <ID> <node> [--online]',
      'qm create <ID> --name <nom> [--memory <Mo>] [--storage shared|local]',
      'qm destroy <ID>',
    ],
    help: { fr: 'machines virtuelles', en: 'virtual machines' },
    run: (sh, args) => qm(sh, args),
  },
  {
    name: 'vzdump',
    usage: ['vzdump <ID> [--storage backup] [--mode snapshot|suspend|stop]'],
    help: { fr: 'sauvegarde d’une VM (hors du cluster)', en: 'back up a VM (outside the cluster)' },
    run: (sh, args) => vzdump(sh, args),
  },
  {
    name: 'qmrestore',
    usage: ['qmrestore <archive> <ID> [--force] [--start]'],
    help: { fr: 'restaurer une VM depuis une sauvegarde', en: 'restore a VM from a backup' },
    run: (sh, args) => qmrestore(sh, args),
  },
  {
    name: 'pvesm',
    usage: ['pvesm status | list backup [--vmid <ID>]'],
    help: { fr: 'stockages, archives de sauvegarde', en: 'storages, backup archives' },
    run: (sh, args) => pvesm(sh, args),
  },
  {
    name: 'timedatectl',
    usage: ['timedatectl'],
    help: { fr: 'horloge du nœud', en: "the node's clock" },
    run: (sh, args) => timedatectl(sh, args),
  },
  {
    name: 'chronyc',
    usage: ['chronyc tracking | sources | makestep'],
    help: { fr: 'synchronisation de l’horloge', en: 'clock synchronisation' },
    run: (sh, args) => chronyc(sh, args),
  },
  {
    name: 'systemctl',
    usage: ['systemctl status|restart|start|stop|is-active <service>'],
    help: { fr: 'services (corosync, chrony…)', en: 'services (corosync, chrony…)' },
    run: (sh, args) => systemctl(sh, args),
  },
  {
    name: 'cat',
    aliases: ['less', 'more'],
    usage: ['cat <file>'],
    help: { fr: 'lire un fichier', en: 'read a file' },
    run: (sh, args, typed) => cat(sh, typed, args),
  },
  {
    name: 'ls',
    aliases: ['ll'],
    usage: ['ls [-la] <dir>'],
    help: { fr: 'lister un répertoire', en: 'list a directory' },
    run: (sh, args, typed) => ls(sh, typed === 'll' ? ['-l', ...args] : args),
  },
  {
    name: 'touch',
    aliases: ['rm', 'mkdir', 'rmdir', 'mv', 'cp', 'tee'],
    usage: ['touch | rm | mkdir | rmdir | mv | cp | tee <path>'],
    help: { fr: 'écrire (/etc/pve : quorum)', en: 'write (/etc/pve: quorum)' },
    run: (sh, args, typed) => fileWrite(sh, typed, args),
  },
  {
    name: 'ping',
    usage: ['ping <node|IP>'],
    help: { fr: 'joignabilité', en: 'reachability' },
    run: (sh, args) => ping(sh, args),
  },
  {
    name: 'ip',
    usage: ['ip [-br] addr'],
    help: { fr: 'interfaces et adresses du nœud (par réseau)', en: "the node's interfaces and addresses (per network)" },
    run: (sh, args) => ip(sh, args),
  },
  {
    name: 'hostname',
    usage: ['hostname [-I]'],
    help: { fr: 'nom (ou IP) du nœud', en: "the node's name (or IP)" },
    run: (sh, args) => (args.includes('-I') || args.includes('-i') ? res(nodeConfig(sh.s, sh.node)?.ip ?? '') : res(sh.node)),
  },
  {
    name: 'date',
    usage: ['date'],
    help: { fr: 'heure du nœud', en: "the node's time" },
    run: (sh, args) =>
      args.some((a) => a === '-s' || a.startsWith('--set'))
        ? refuse(
            'date: the clock cannot be set by hand in this lab',
            'fix the clock with chrony: systemctl restart chrony',
            "corrigez l'horloge avec chrony : systemctl restart chrony",
            1,
          )
        : res(dateLine(nodeClock(sh.s, sh.node))),
  },
  {
    name: 'uptime',
    usage: ['uptime'],
    help: { fr: 'durée de marche', en: 'time up' },
    run: (sh) => {
      const clock = nodeClock(sh.s, sh.node);
      const up = Math.floor((sh.s.now + 3_600_000) / 60_000);
      return res(` ${isoLocal(clock).slice(11)} up ${Math.floor(up / 60)}:${String(up % 60).padStart(2, '0')},  1 user,  load average: 0.08, 0.05, 0.01`);
    },
  },
  {
    name: 'pveversion',
    usage: ['pveversion'],
    help: { fr: 'version de Proxmox VE', en: 'Proxmox VE version' },
    run: () => res('pve-manager/8.3.2/3e76eec21c4a14a7 (running kernel: 6.8.12-5-pve)'),
  },
  {
    name: 'echo',
    usage: ['echo <text> [> <file>]'],
    help: { fr: 'afficher', en: 'print' },
    run: (_sh, args) => res(args.filter((a) => a !== '-n' && a !== '-e').join(' ')),
  },
  {
    name: 'whoami',
    usage: ['whoami'],
    help: { fr: 'utilisateur courant', en: 'current user' },
    run: () => res('root'),
  },
  {
    name: 'pwd',
    usage: ['pwd'],
    help: { fr: 'répertoire courant', en: 'current directory' },
    run: () => res('/root'),
  },
  {
    name: 'clear',
    aliases: ['reset'],
    usage: ['clear'],
    help: { fr: 'effacer l’écran', en: 'clear the screen' },
    run: () => res(CLEAR_SCREEN),
  },
  {
    name: 'help',
    aliases: ['aide', '?'],
    usage: ['help'],
    help: { fr: 'cette liste', en: 'this list' },
    run: () => res(helpText()),
  },
  {
    name: 'exit',
    aliases: ['logout'],
    usage: ['exit'],
    help: { fr: 'le terminal reste ouvert', en: 'the terminal stays open' },
    listed: false,
    run: (sh) => res(`logout\n(the terminal of ${sh.node} stays open / le terminal de ${sh.node} reste ouvert)`),
  },
  {
    name: 'cd',
    usage: ['cd'],
    help: { fr: 'pas de répertoire courant : chemins absolus', en: 'no working directory: absolute paths' },
    listed: false,
    run: () =>
      refuse(
        '-bash: cd: this terminal has no working directory',
        'use absolute paths, e.g. ls /etc/pve',
        'utilisez des chemins absolus, ex. ls /etc/pve',
        1,
      ),
  },
  {
    name: 'nano',
    aliases: ['vi', 'vim', 'nvim', 'emacs', 'top', 'htop'],
    usage: ['nano /etc/pve/corosync.conf'],
    help: { fr: 'éditer corosync.conf (éditeur de la page)', en: 'edit corosync.conf (the page’s editor)' },
    run: nano,
  },
  {
    name: 'ssh',
    usage: ['ssh'],
    help: { fr: 'pas de sessions interactives', en: 'no interactive sessions' },
    listed: false,
    run: () =>
      refuse(
        'ssh: interactive sessions are not available in this lab',
        'each student runs commands on their own node',
        'chaque étudiant tape les commandes sur son propre nœud',
        255,
      ),
  },
  {
    name: 'apt',
    aliases: ['apt-get'],
    usage: ['apt install corosync-qdevice'],
    help: { fr: 'installer le paquet du QDevice', en: 'install the QDevice package' },
    run: (sh, args) => apt(sh.c, sh.node, args, false),
  },
  {
    name: 'reboot',
    aliases: ['poweroff', 'shutdown', 'halt'],
    usage: ['reboot'],
    help: { fr: 'seul l’enseignant gère l’alimentation', en: 'only the teacher powers nodes' },
    listed: false,
    run: (_sh, _args, typed) =>
      refuse(
        `${typed}: only the teacher can power nodes in this lab`,
        'ask the teacher, or use ha-manager crm-command node-maintenance first',
        "demandez à l'enseignant, ou passez d'abord en maintenance HA",
        1,
      ),
  },
];

const BY_NAME = new Map<string, Command>();
for (const c of COMMANDS) for (const n of [c.name, ...(c.aliases ?? [])]) BY_NAME.set(n, c);

/** The command a typed name runs, if any. */
export function lookupCommand(name: string): Command | undefined {
  return BY_NAME.get(name);
}

/** `help`: every listed command with its usage and its bilingual purpose, then the pipe filters. */
export function helpText(): string {
  const lines = ['Commandes disponibles / Available commands:'];
  for (const c of COMMANDS) {
    if (c.listed === false) continue;
    c.usage.forEach((u, i) => {
      const say = i === 0 ? `${c.help.fr} / ${c.help.en}` : '';
      if (!say) lines.push(`  ${u}`);
      else if (u.length <= 42) lines.push(`  ${u.padEnd(42)} ${say}`);
      else lines.push(`  ${u}`, `  ${''.padEnd(42)} ${say}`);
    });
  }
  lines.push(`  ${'… | grep <motif>, head, tail, wc -l'.padEnd(42)} filtres / filters`);
  return lines.join('\n');
}

export function dispatch(sh: Sh, argv: string[]): Res {
  const [typed, ...args] = argv as [string, ...string[]];
  const cmd = BY_NAME.get(typed);
  if (cmd) return cmd.run(sh, args, typed);
  return refuse(`-bash: ${typed}: command not found`, "type 'help' for the commands of this lab", "tapez 'help' pour la liste des commandes", 127);
}
