// timedatectl and chronyc: the node's clock and chrony.
import { startChrony, stepClock, stopChrony } from '../rules/clock.js';
import { ctime, isoLocal, nodeClock, systemdTime } from '../format.js';
import type { NodeRuntime } from '../types.js';
import { hint, type Res, res, type Sh } from './common.js';

// ---------------------------------------------------------------- time

export function timeSynced(n: NodeRuntime): boolean {
  return n.chronyRunning && Math.abs(n.skewMs) <= 1000;
}

export function timedatectl(sh: Sh, args: string[]): Res {
  const { n } = sh;
  const sub = args[0] ?? 'status';
  if (sub === 'status' || sub === 'show') {
    const t = systemdTime(nodeClock(sh.s, sh.node));
    const rtc = isoLocal(nodeClock(sh.s, sh.node));
    return res(
      [
        `               Local time: ${t} UTC`,
        `           Universal time: ${t} UTC`,
        `                 RTC time: ${rtc}`,
        '                Time zone: Etc/UTC (UTC, +0000)',
        `System clock synchronized: ${timeSynced(n) ? 'yes' : 'no'}`,
        `              NTP service: ${n.chronyRunning ? 'active' : 'inactive'}`,
        '          RTC in local mode: no',
      ].join('\n'),
    );
  }
  if (sub === 'set-ntp') {
    const v = args[1];
    if (v === undefined || !/^(true|false|yes|no|on|off|1|0)$/.test(v)) return res('Failed to parse NTP setting: ' + (v ?? '(missing)'), 1);
    const on = /^(true|yes|on|1)$/.test(v);
    if (on && !n.chronyRunning) startChrony(sh.c, n);
    if (!on) stopChrony(n);
    return res('');
  }
  if (sub === 'set-time')
    return res(
      'Failed to set time: Automatic time synchronization is enabled\n' +
        hint('let chrony fix the clock: systemctl restart chrony', "laissez chrony corriger l'horloge : systemctl restart chrony"),
      1,
    );
  return res(`Unknown command verb '${sub}'.`, 1);
}

export function chronyc(sh: Sh, args: string[]): Res {
  const { n } = sh;
  const sub = args[0] ?? 'tracking';
  if (!n.chronyRunning) return res('506 Cannot talk to daemon', 1);
  switch (sub) {
    case 'tracking': {
      const off = n.skewMs / 1000;
      const dir = off > 0 ? 'fast' : 'slow';
      const ref = ctime(nodeClock(sh.s, sh.node) - 24_000).replace(/ +(\d{1,2}) /, (_m, d: string) => ` ${d.padStart(2, '0')} `);
      return res(
        [
          'Reference ID    : 0A000A01 (10.0.10.1)',
          'Stratum         : 3',
          `Ref time (UTC)  : ${ref}`,
          `System time     : ${Math.abs(off).toFixed(9)} seconds ${dir} of NTP time`,
          `Last offset     : ${(Math.abs(off) > 1 ? -off : 0.000002311).toFixed(9)} seconds`,
          `RMS offset      : ${(Math.abs(off) > 1 ? Math.abs(off) : 0.000010412).toFixed(9)} seconds`,
          'Frequency       : 4.812 ppm slow',
          'Residual freq   : -0.001 ppm',
          'Skew            : 0.024 ppm',
          'Root delay      : 0.000412345 seconds',
          'Root dispersion : 0.000623410 seconds',
          'Update interval : 64.3 seconds',
          `Leap status     : ${Math.abs(n.skewMs) > 1000 ? 'Not synchronised' : 'Normal'}`,
        ].join('\n'),
      );
    }
    case 'sources':
      return res(
        [
          'MS Name/IP address         Stratum Poll Reach LastRx Last sample',
          '===============================================================================',
          `^${Math.abs(n.skewMs) > 1000 ? '?' : '*'} 10.0.10.1                     2   6   377    23   ${Math.abs(n.skewMs) > 1000 ? `${n.skewMs > 0 ? '-' : '+'}${Math.abs(n.skewMs / 1000).toFixed(0)}s` : '+12us'}[ +15us] +/-  512us`,
        ].join('\n'),
      );
    case 'makestep':
      stepClock(sh.c, n);
      return res('200 OK');
    default:
      return res(`Unrecognized command`, 1);
  }
}
