// Limits enforced at the edges. Workers accept WebSocket messages up to 1 MiB; a classroom
// client never needs more than a command line, so frames are capped far lower.
export const MAX_FRAME_BYTES = 4096;
export const MAX_COMMAND_CHARS = 500;
/** The node page's editor (`nano`): the saved text of a file, in one `edit` frame. 3500 characters
 * of text plus JSON escapes stay under MAX_FRAME_BYTES; the page checks the encoded size before
 * sending, since an oversize frame closes the socket. */
export const MAX_EDIT_CHARS = 3500;
/** The files the page's editor may save (the engine's `nano` opens these: src/sim/shell/editor.ts). */
export const EDITABLE_PATHS = ['/etc/pve/corosync.conf'] as const;
export type EditablePath = (typeof EDITABLE_PATHS)[number];
export const MAX_NAME_CHARS = 32;
/** The one wording of a refused name (src/protocol/http.ts), shown by the join page as is. */
export const NAME_RULE = {
  fr: 'Le nom doit contenir au moins une lettre ou un chiffre visible, sans caractère invisible, de contrôle ou de séparation.',
  en: 'A name needs at least one visible letter or digit, and no invisible, control or separator character.',
};
/** token bucket per socket: sustained frames per second and burst */
export const RATE_PER_SEC = 10;
export const RATE_BURST = 30;
/** frames refused for rate before the socket is closed with 1008 */
export const RATE_STRIKES_BEFORE_CLOSE = 20;
/** Teams in one lab: a 300-student lecture in teams of 3 to 5 is one lab. The measured cost of
 * 100 teams (start, fault to all, leaderboard) is in docs/performance.md, "Lab fan-out". */
export const MAX_TEAMS = 100;
/** 100 teams of the largest seat offer (5 seats: five nodes, or four and the QDevice seat). */
export const MAX_SEATS_PER_LAB = 500;
/** Seats a lab may ever record, kicked and released ones included (they stay for bans and
 * reports): a bound on storage whatever a script does with joins. */
export const MAX_SEAT_RECORDS_PER_LAB = 2000;
