// Engine events on the node page: one journal line each (from a live `event` frame or the
// welcome backlog), the harm this seat caused as a banner that stays (web/lib/harm.ts), and the
// "ce que le cours simplifie" notes the first time they matter (web/lib/simplifies.ts).
import { byId } from '../lib/dom';
import { describeEvent, type Line } from '../lib/events';
import { harmOf } from '../../src/protocol/harm';
import { simplificationFor } from '../lib/simplifies';
import { showNotice } from './notices';
import { diagnosing, page, simNow, wall } from './state';

/** The terminal shows commands; faults are the teacher's secret (the server sends neither). */
const JOURNAL_SKIPS = new Set(['command', 'fault-applied']);
/** Who reads the events: sentences about this node say "you". */
const reader = () => (page.seat?.role === 'qdevice' ? 'qdevice' : (page.seat?.node ?? null));

export class EventFeed {
  /** Last engine event shown in the journal: a reconnection adds only what came after it. */
  private lastSeq = 0;
  /** This seat was told it opened a split-brain (its merge then tells the writes lost). */
  private opened = false;
  /** Harm already written in the journal: told once, not at every flap. */
  private harmLogged = new Set<string>();

  constructor(
    private readonly log: (l: Line, at?: number) => void,
    private readonly code: string,
  ) {}

  /** The last event in the journal (0: none yet). */
  get last(): number {
    return this.lastSeq;
  }

  /** A fresh journal (first connection, or moved to another cluster). */
  reset(): void {
    this.lastSeq = 0;
    this.harmLogged.clear();
  }

  /** A live `event` frame: its journal line, then what it tells this seat. */
  event(ev: Record<string, unknown>): void {
    this.line(ev);
    this.tellHarm(ev);
    this.simplify(ev);
  }

  /** The journal line of an event (live or from the backlog). */
  line(ev: Record<string, unknown>): void {
    if (typeof ev.seq === 'number') {
      if (ev.seq <= this.lastSeq) return;
      this.lastSeq = ev.seq;
    }
    if (JOURNAL_SKIPS.has(String(ev.type))) return;
    if (ev.type === 'split-brain-started' && ev.kind === 'two-quorate') this.opened = true;
    // Diagnosis mode: the journal would give the answer away; only the harm this seat caused stays.
    const harm = harmOf(ev, this.opened);
    if (diagnosing() && !harm) return;
    if (harm) {
      if (this.harmLogged.has(harm.text.en)) return;
      this.harmLogged.add(harm.text.en);
    }
    const l = describeEvent(ev, reader());
    // When it happened, in wall time: the sim clock runs `timeScale` times faster.
    if (l) this.log(l, typeof ev.at === 'number' ? Date.now() - Math.max(0, wall(simNow() - ev.at)) : undefined);
  }

  /** Only the seat whose command opened a split-brain receives its events: a banner that stays. */
  private tellHarm(ev: Record<string, unknown>): void {
    const h = harmOf(ev, this.opened);
    if (!h) return;
    // The same harm again (a VM that flaps between one and two copies): one banner, the latest.
    for (const n of byId('notices').querySelectorAll(`[data-code="${h.code}"]`)) n.remove();
    showNotice(h.code, 'warn', h.text);
  }

  /** "Ce que le cours simplifie": a note the first time an event of this node needs one (not in
   * diagnosis mode: it would name the fault). */
  private simplify(ev: Record<string, unknown>): void {
    if (!page.seat || page.seat.role !== 'node' || diagnosing()) return;
    const s = simplificationFor(ev, page.seat.node, this.code, page.seat.seatId);
    if (!s) return;
    const text = { fr: `Ce que le cours simplifie — ${s.text.fr}`, en: `What the course simplifies — ${s.text.en}` };
    showNotice(`simplify-${s.id}`, 'info', text);
    this.log({ tone: 'info', icon: 'info', ...text });
  }
}
