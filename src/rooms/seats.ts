// The seats of one lab, in the LabObject's SQLite storage: who sits where, their token (hashed),
// their rejoin code, and the life of a seat (docs/protocol.md, "Seats"):
//   active → kicked (banned until the teacher allows them back)
//   active → released (joined but never connected within ABANDON_MS: the seat is freed)
// Only active seats hold a node; kicked and released rows stay for the record and for the ban.
import type { SeatInfo } from '../protocol/messages';
import { CODE_ALPHABET } from '../api/crypto';

export const SEAT_ACTIVE = 0;
export const SEAT_KICKED = 1;
export const SEAT_RELEASED = 2;

/** A seat whose student never opened a socket this long after joining is freed for others. */
export const ABANDON_MS = 90_000;

export interface SeatRow {
  id: string;
  team: number;
  node: string;
  role: 'node' | 'qdevice';
  name: string;
  nameKey: string;
  tokenHash: string;
  joinedAt: number;
  /** SEAT_ACTIVE, SEAT_KICKED or SEAT_RELEASED */
  kicked: number;
  /** 1 while a kicked student may not join again */
  banned: number;
  rejoinCode: string;
  /** hash of the browser's client cookie at join time */
  clientHash: string | null;
  /** last time the seat's token was used (socket or seat check), null if never */
  seenAt: number | null;
}

type Raw = {
  id: string; team: number; node: string; role: string; name: string; name_key: string; token_hash: string; joined_at: number;
  kicked: number; banned: number; rejoin_code: string; client_hash: string | null; seen_at: number | null;
};

const fromRaw = (r: Raw): SeatRow => ({
  id: r.id, team: r.team, node: r.node, role: r.role as SeatRow['role'], name: r.name, nameKey: r.name_key, tokenHash: r.token_hash,
  joinedAt: r.joined_at, kicked: r.kicked, banned: r.banned, rejoinCode: r.rejoin_code, clientHash: r.client_hash, seenAt: r.seen_at,
});

export const seatInfo = (s: SeatRow): SeatInfo => ({ seatId: s.id, name: s.name, team: s.team, node: s.node, role: s.role });

/** The key names are compared with: case-insensitive, French rules. */
export const nameKey = (name: string) => name.toLocaleLowerCase('fr');

/** Six characters of the join-code alphabet (no 0/O/1/I): easy to read aloud and to type. */
export function newRejoinCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export class SeatStore {
  constructor(private readonly sql: SqlStorage) {}

  /** Creates the table, and adds the columns of later versions to a table from an older one. */
  migrate(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seats (
      id TEXT PRIMARY KEY, team INTEGER NOT NULL, node TEXT NOT NULL, role TEXT NOT NULL,
      name TEXT NOT NULL, name_key TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
      joined_at INTEGER NOT NULL, kicked INTEGER NOT NULL DEFAULT 0)`);
    const have = new Set(this.sql.exec<{ name: string }>(`PRAGMA table_info(seats)`).toArray().map((c) => c.name));
    const added: [string, string][] = [
      ['banned', 'INTEGER NOT NULL DEFAULT 0'],
      ['rejoin_code', "TEXT NOT NULL DEFAULT ''"],
      ['client_hash', 'TEXT'],
      ['seen_at', 'INTEGER'],
    ];
    for (const [col, type] of added) if (!have.has(col)) this.sql.exec(`ALTER TABLE seats ADD COLUMN ${col} ${type}`);
  }

  all(): SeatRow[] {
    return this.sql.exec<Raw>(`SELECT * FROM seats ORDER BY joined_at, id`).toArray().map(fromRaw);
  }

  count(): number {
    return this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM seats`).one().n;
  }

  active(): SeatRow[] {
    return this.all().filter((s) => s.kicked === SEAT_ACTIVE);
  }

  get(id: string): SeatRow | undefined {
    const r = this.sql.exec<Raw>(`SELECT * FROM seats WHERE id = ?`, id).toArray()[0];
    return r ? fromRaw(r) : undefined;
  }

  /** The active seat holding this token. */
  byToken(tokenHash: string): SeatRow | undefined {
    const r = this.sql.exec<Raw>(`SELECT * FROM seats WHERE token_hash = ? AND kicked = ${SEAT_ACTIVE}`, tokenHash).toArray()[0];
    return r ? fromRaw(r) : undefined;
  }

  byRejoinCode(code: string): SeatRow | undefined {
    const r = this.sql.exec<Raw>(`SELECT * FROM seats WHERE rejoin_code = ? AND rejoin_code != ''`, code).toArray()[0];
    return r ? fromRaw(r) : undefined;
  }

  nameTaken(key: string): boolean {
    return this.sql.exec(`SELECT 1 FROM seats WHERE name_key = ? AND kicked = ${SEAT_ACTIVE}`, key).toArray().length > 0;
  }

  /** A banned seat this join comes from: same browser (client cookie), same previous token, or
   * the same name. */
  bannedMatch(who: { clientHash?: string; priorTokenHash?: string; nameKey: string }): SeatRow | undefined {
    const r = this.sql
      .exec<Raw>(
        `SELECT * FROM seats WHERE banned = 1 AND (name_key = ? OR client_hash = ? OR token_hash = ?) LIMIT 1`,
        who.nameKey, who.clientHash ?? '\u0000', who.priorTokenHash ?? '\u0000',
      )
      .toArray()[0];
    return r ? fromRaw(r) : undefined;
  }

  rejoinCodeTaken(code: string): boolean {
    return this.sql.exec(`SELECT 1 FROM seats WHERE rejoin_code = ?`, code).toArray().length > 0;
  }

  insert(s: Omit<SeatRow, 'kicked' | 'banned' | 'seenAt'>): void {
    this.sql.exec(
      `INSERT INTO seats (id, team, node, role, name, name_key, token_hash, joined_at, rejoin_code, client_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.id, s.team, s.node, s.role, s.name, s.nameKey, s.tokenHash, s.joinedAt, s.rejoinCode, s.clientHash,
    );
  }

  /** A new token for a seat taken back with its rejoin code: the old one stops working. */
  setToken(id: string, tokenHash: string, clientHash: string | null): void {
    // A student taking their seat back is here: the seat is not abandoned.
    this.sql.exec(`UPDATE seats SET token_hash = ?, client_hash = COALESCE(?, client_hash), seen_at = ? WHERE id = ?`, tokenHash, clientHash, Date.now(), id);
  }

  move(id: string, team: number, node: string, role: string): void {
    this.sql.exec(`UPDATE seats SET team = ?, node = ?, role = ? WHERE id = ?`, team, node, role, id);
  }

  kick(id: string): void {
    this.sql.exec(`UPDATE seats SET kicked = ${SEAT_KICKED}, banned = 1 WHERE id = ?`, id);
  }

  allowBack(id: string): void {
    this.sql.exec(`UPDATE seats SET banned = 0 WHERE id = ?`, id);
  }

  seen(id: string, at: number): void {
    this.sql.exec(`UPDATE seats SET seen_at = ? WHERE id = ?`, at, id);
  }

  /** Frees the seats nobody ever connected to within ABANDON_MS of joining; returns them. */
  releaseAbandoned(now: number): SeatRow[] {
    return this.sql
      .exec<Raw>(
        `UPDATE seats SET kicked = ${SEAT_RELEASED} WHERE kicked = ${SEAT_ACTIVE} AND seen_at IS NULL AND joined_at < ? RETURNING *`,
        now - ABANDON_MS,
      )
      .toArray()
      .map(fromRaw);
  }
}
