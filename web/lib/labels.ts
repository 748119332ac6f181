// Words shared by several pages.
import type { LabStatus } from '../../src/protocol/messages';
import type { Bi } from './i18n';
import type { IconName } from './icons';

export const STATUS: Record<LabStatus, Bi & { icon: IconName; tone: 'ok' | 'warn' | 'info' | 'muted' }> = {
  lobby: { fr: 'en attente du démarrage', en: 'waiting to start', icon: 'hourglass', tone: 'info' },
  running: { fr: 'en cours', en: 'running', icon: 'play', tone: 'ok' },
  paused: { fr: 'en pause', en: 'paused', icon: 'pause', tone: 'warn' },
  ended: { fr: 'terminé', en: 'ended', icon: 'stop', tone: 'muted' },
};

export function statusOf(s: string): (typeof STATUS)[LabStatus] {
  return STATUS[s as LabStatus] ?? { fr: s, en: s, icon: 'dot', tone: 'muted' };
}
