// Constants shared by the simulator and the browser (which may import this file: no imports here).

/** The course's danger rule: more than 10 s of clock skew is a warning and an event, not a quorum change. */
export const SKEW_DANGER_MS = 10_000;

/** A command's whole output when it clears the screen (`clear`): the terminal empties itself. */
export const CLEAR_SCREEN = '\u001bc';
