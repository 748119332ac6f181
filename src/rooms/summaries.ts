// The LabObject's copy of every team's summary (src/protocol/summary.ts), in its SQLite storage so
// the leaderboard survives an eviction. Each stored change gets the next version number, so a
// dashboard polling with `after=<version>` receives only the teams that changed since.
import { summaryKey, type TeamSummary } from '../protocol/summary';
import { fanOut } from './fan-out';

export class SummaryStore {
  private readonly byTeam = new Map<number, { v: number; key: string; s: TeamSummary }>();
  private version = 0;

  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS summaries (team INTEGER PRIMARY KEY, v INTEGER NOT NULL, data TEXT NOT NULL)`);
    for (const r of this.sql.exec<{ team: number; v: number; data: string }>(`SELECT team, v, data FROM summaries`)) {
      const s = JSON.parse(r.data) as TeamSummary;
      this.byTeam.set(r.team, { v: r.v, key: summaryKey(s), s });
      this.version = Math.max(this.version, r.v);
    }
  }

  /** Keeps `s` unless it is older than the copy held (a late push after the lab's own fresh read). */
  put(s: TeamSummary): boolean {
    const held = this.byTeam.get(s.team);
    if (held && (s.now < held.s.now || (held.s.status === 'ended' && s.status !== 'ended'))) return false;
    const key = summaryKey(s);
    if (held?.key === key) return false;
    const v = ++this.version;
    this.byTeam.set(s.team, { v, key, s });
    this.sql.exec(`INSERT INTO summaries (team, v, data) VALUES (?, ?, ?) ON CONFLICT(team) DO UPDATE SET v = excluded.v, data = excluded.data`, s.team, v, JSON.stringify(s));
    return true;
  }

  /** Reads the teams' summaries afresh (in parallel, bounded) and keeps them. A team that cannot
   * answer (still opening: a join is creating it) is skipped; the others are kept. */
  async fill(teams: number[], read: (team: number) => Promise<TeamSummary>): Promise<void> {
    const one = async (t: number) => {
      try {
        return await read(t);
      } catch (err) {
        console.error(`SummaryStore.fill: team ${t}`, err);
        return null;
      }
    };
    for (const s of await fanOut(teams, one)) if (s) this.put(s);
  }

  /** Teams 1..count with no summary yet. */
  missing(count: number): number[] {
    const out: number[] = [];
    for (let t = 1; t <= count; t++) if (!this.byTeam.has(t)) out.push(t);
    return out;
  }

  /** The summaries changed after version `after` (all of them for 0), in team order. */
  since(after: number, count: number): { version: number; teams: TeamSummary[] } {
    const teams = [...this.byTeam.values()].filter((x) => x.v > after && x.s.team <= count).map((x) => x.s);
    return { version: this.version, teams: teams.sort((a, b) => a.team - b.team) };
  }
}
