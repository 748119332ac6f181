// A ClusterObject tells its LabObject when the team's summary changed (src/protocol/summary.ts),
// so the lab serves the dashboard's grid and the leaderboard from its own copy instead of asking
// every team. Cheap on quiet ticks: the summary is rebuilt only when the room's change mark moved
// (events, status, sockets) or every SUMMARY_REFRESH_MS (the score drifts with time); it is sent
// only when it differs from the last one sent, one call at a time, the newest winning, and at most
// one per SUMMARY_MIN_GAP_MS (a reconnect storm of a team's five sockets is one call, not five).
import { summaryKey, type TeamSummary } from '../protocol/summary';

/** The longest a lab's copy of a team's score lags while nothing else happens. */
export const SUMMARY_REFRESH_MS = 5000;
/** The shortest time between two summaries sent to the lab. */
export const SUMMARY_MIN_GAP_MS = 1000;

export class SummaryPush {
  private sentKey = '';
  private mark: string | null = null;
  private builtAt = -Infinity;
  /** the newest way to build the summary, not built yet */
  private build: (() => TeamSummary) | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private draining = false;
  private lastSentAt = -Infinity;

  constructor(
    private readonly deliver: (s: TeamSummary) => Promise<unknown>,
    private readonly gapMs = SUMMARY_MIN_GAP_MS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** After anything that may have changed the team: `mark` is a cheap fingerprint of the room.
   * The summary is built when it can be sent (at once, or when the gap is over), from the room as
   * it is then: a burst of changes builds one. */
  update(build: () => TeamSummary, mark: string, now: number): void {
    if (mark === this.mark && now - this.builtAt < SUMMARY_REFRESH_MS) return;
    this.mark = mark;
    this.builtAt = now;
    this.build = build;
    if (this.draining) return;
    this.draining = true;
    // (drain may finish before it returns: `draining`, not `inFlight`, says whether it runs)
    this.inFlight = this.drain();
  }

  /** Resolves once everything built so far was handed over (tests, and the end of a lab). */
  async settled(): Promise<void> {
    while (this.draining) await this.inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.build) {
        const wait = this.lastSentAt + this.gapMs - this.now();
        if (wait > 0) await this.sleep(wait); // what changes meanwhile joins this one
        const s = this.build();
        this.build = null;
        const key = summaryKey(s);
        if (key === this.sentKey) continue;
        this.sentKey = key;
        this.lastSentAt = this.now();
        try {
          await this.deliver(s);
        } catch (err) {
          // The lab is unreachable for now: the next change or refresh sends it again.
          console.error('SummaryPush.deliver failed; will resend', err);
          this.sentKey = '';
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
