// Helpers for the local .dev.vars file (KEY=value lines, read by `wrangler dev`).
import { randomBytes } from "node:crypto";

/**
 * Returns the value of `name` in .dev.vars text, or undefined.
 * @param {string} text
 * @param {string} name
 * @returns {string | undefined}
 */
export function readDevVar(text, name) {
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || match[1] !== name) continue;
    const value = match[2] ?? "";
    const quoted = /^(["'])(.*)\1$/.exec(value);
    return quoted ? quoted[2] : value;
  }
  return undefined;
}

/** A fresh random teacher key: 18 random bytes, base64url (24 characters). */
export function newTeacherKey() {
  return randomBytes(18).toString("base64url");
}

/**
 * Makes sure .dev.vars text defines TEACHER_KEY, adding a fresh one if needed.
 * @param {string} text current file content ("" when the file is missing)
 * @param {() => string} [makeKey]
 * @returns {{ text: string, key: string, created: boolean }}
 */
export function ensureTeacherKey(text, makeKey = newTeacherKey) {
  const existing = readDevVar(text, "TEACHER_KEY");
  if (existing) return { text, key: existing, created: false };
  const key = makeKey();
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  return { text: `${prefix}TEACHER_KEY=${key}\n`, key, created: true };
}
