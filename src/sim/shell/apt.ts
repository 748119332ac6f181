// apt / apt-get install: only the packages a QDevice needs (rules/cluster-build.ts installs them).
// corosync-qdevice goes on every node, corosync-qnetd on the external QDevice host.
import { installPackage, PACKAGES } from '../rules/cluster-build.js';
import type { Ctx } from '../kernel.js';
import { hint, type Res, res } from './common.js';

const VERSION = { [PACKAGES.qdevice]: '3.0.3-1', [PACKAGES.qnetd]: '3.0.3-1' } as const;
const SIZE_KB = { [PACKAGES.qdevice]: 63.6, [PACKAGES.qnetd]: 71.2 } as const;

const refuseOthers = (): Res =>
  res(
    'E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\n' +
      hint('only corosync-qdevice (nodes) and corosync-qnetd (QDevice host) install in this lab', 'seuls corosync-qdevice (nœuds) et corosync-qnetd (hôte QDevice) s’installent dans ce TP'),
    100,
  );

/** `apt install PKG` typed on `where` (a node, or the QDevice host when `onQnetdHost`). */
export function apt(c: Ctx, where: string, args: string[], onQnetdHost: boolean): Res {
  const words = args.filter((a) => !/^-(y|-yes|q|-quiet)$/.test(a));
  if (words[0] !== 'install' || words.length !== 2) return refuseOthers();
  const pkg = words[1]!;
  const belongs = onQnetdHost ? PACKAGES.qnetd : PACKAGES.qdevice;
  if (pkg !== PACKAGES.qdevice && pkg !== PACKAGES.qnetd) return refuseOthers();
  if (pkg !== belongs)
    return res(
      `E: ${pkg} is not for this host in this lab\n` +
        (onQnetdHost
          ? hint('the QDevice host runs corosync-qnetd; corosync-qdevice goes on each cluster node', 'l’hôte QDevice fait tourner corosync-qnetd ; corosync-qdevice va sur chaque nœud')
          : hint('corosync-qnetd goes on the external QDevice host, never on a cluster node (if this node fails, two votes go with it)', 'corosync-qnetd va sur l’hôte QDevice externe, jamais sur un nœud du cluster (si ce nœud tombe, deux votes tombent avec lui)')),
      100,
    );
  const head = ['Reading package lists... Done', 'Building dependency tree... Done', 'Reading state information... Done'];
  if (!installPackage(c, where, pkg))
    return res([...head, `${pkg} is already the newest version (${VERSION[pkg]}).`, '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.'].join('\n'));
  const deb = `${pkg}_${VERSION[pkg]}_amd64.deb`;
  return res(
    [
      ...head,
      'The following NEW packages will be installed:',
      `  ${pkg}`,
      '0 upgraded, 1 newly installed, 0 to remove and 0 not upgraded.',
      `Need to get ${SIZE_KB[pkg]} kB of archives.`,
      `Get:1 http://mirror.lab.local/debian bookworm/main amd64 ${pkg} amd64 ${VERSION[pkg]} [${SIZE_KB[pkg]} kB]`,
      `Selecting previously unselected package ${pkg}.`,
      `Preparing to unpack .../${deb} ...`,
      `Unpacking ${pkg} (${VERSION[pkg]}) ...`,
      `Setting up ${pkg} (${VERSION[pkg]}) ...`,
      ...(pkg === PACKAGES.qnetd ? [`Created symlink /etc/systemd/system/multi-user.target.wants/${pkg}.service → /lib/systemd/system/${pkg}.service.`] : []),
    ].join('\n'),
  );
}
