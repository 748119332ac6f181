// A ClusterObject tells its LabObject when the team's summary changed (src/protocol/summary.ts),
// so the lab serves the dashboard's grid and the leaderboard from its own copy instead of asking
// every team. Cheap on quiet ticks: the summary is rebuilt only when the room's change mark moved
// (events, status, sockets) or every SUMMARY_REFRESH_MS (the score drifts with time); it is sent
// only when it differs from the last one sent, one call at a time, the newest winning.
import { summaryKey, type TeamSummary } from '../protocol/summary';

/** The longest a lab's copy of a team's score lags while nothing else happens. */
export const SUMMARY_REFRESH_MS = 5000;

export class SummaryPush {
  private sentKey = '';
  private mark: string | null = null;
  private builtAt = -Infinity;
  private pending: TeamSummary | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly deliver: (s: TeamSummary) => Promise<unknown>) {}

  /** After anything that may have changed the team: `mark` is a cheap fingerprint of the room. */
  update(build: () => TeamSummary, mark: string, now: number): void {
    if (mark === this.mark && now - this.builtAt < SUMMARY_REFRESH_MS) return;
    this.mark = mark;
    this.builtAt = now;
    const s = build();
    const key = summaryKey(s);
    if (key === this.sentKey) return;
    this.sentKey = key;
    this.pending = s;
    this.inFlight ??= this.drain();
  }

  /** Resolves once everything built so far was handed over (tests, and the end of a lab). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const s = this.pending;
        this.pending = null;
        try {
          await this.deliver(s);
        } catch (err) {
          // The lab is unreachable for now: the next change or refresh sends it again.
          console.error('SummaryPush.deliver failed; will resend', err);
          this.sentKey = '';
        }
      }
    } finally {
      this.inFlight = null;
    }
  }
}
