// The dashboard's events feed: every team's events as sentences, newest first (by sim time, then
// sequence), filtered by team and by "commands", at most FEED_KEEP lines.
import { el, icon } from '../lib/dom';
import { describeEvent } from '../lib/events';
import { bi, biOf, clock } from '../lib/i18n';
import type { SeqEvent } from './panel';

interface FeedItem {
  team: number;
  at: number;
  seq: number;
  command: boolean;
  node: HTMLLIElement;
}

const FEED_KEEP = 400;
/** Events that follow from other lines: too chatty for a classroom feed of every node (a knet
 * link change is one line per pair of nodes; the fault line and the membership say it once). */
const FEED_SKIPS = new Set(['service-state', 'pmxcfs-write', 'heartbeat-lost', 'knet-link']);

export function eventsFeed(feed: HTMLOListElement, feedTeam: HTMLSelectElement, feedCommands: HTMLInputElement) {
  const items: FeedItem[] = [];
  const visible = (it: FeedItem) => (feedTeam.value === 'all' || Number(feedTeam.value) === it.team) && (feedCommands.checked || !it.command);
  const newer = (a: FeedItem, b: FeedItem) => a.at > b.at || (a.at === b.at && a.seq > b.seq);
  function render(): void {
    feed.replaceChildren(...items.filter(visible).map((i) => i.node));
    if (!feed.childElementCount) feed.append(el('li', { class: 't-muted t-feed-empty' }, bi('Rien pour l’instant.', 'Nothing yet.')));
  }
  feedTeam.addEventListener('change', render);
  feedCommands.addEventListener('change', render);
  function feedItem(team: number, e: SeqEvent): FeedItem | null {
    if (FEED_SKIPS.has(e.type)) return null;
    const line = describeEvent(e);
    if (!line) return null;
    const node = el(
      'li',
      { class: `t-ev t-ev-${line.tone}`, attrs: { 'data-type': e.type } },
      el('span', { class: 't-ev-time', text: `t=${clock(e.at)}` }),
      el('span', { class: 't-ev-team' }, bi(`Éq. ${team}`, `Team ${team}`)),
      icon(line.icon),
      el('span', { class: 't-ev-text' }, biOf(line)),
    );
    return { team, at: e.at, seq: e.seq, command: e.type === 'command', node };
  }
  /** A team's new events (live, or its backlog after a (re)connection), oldest first. */
  function onEvents(team: number, events: SeqEvent[]): void {
    const added: FeedItem[] = [];
    for (const e of events) {
      const item = feedItem(team, e);
      if (!item) continue;
      let i = 0;
      while (i < items.length && !newer(item, items[i]!)) i++;
      items.splice(i, 0, item);
      added.push(item);
    }
    if (!added.length) return;
    const dropped = items.splice(FEED_KEEP);
    for (const d of dropped) d.node.remove();
    if (added.length > 1) return render();
    // One live event: put it in place without rebuilding the list.
    const item = added[0]!;
    if (!visible(item) || !items.includes(item)) return;
    feed.querySelector('.t-feed-empty')?.remove();
    const after = items.slice(items.indexOf(item) + 1).find((it) => it.node.isConnected);
    feed.insertBefore(item.node, after?.node ?? null);
  }
  return { onEvents, render };
}
