import { describe, expect, it } from "vitest";
import { ensureTeacherKey, newTeacherKey, readDevVar } from "../../scripts/dev-vars.mjs";

describe(".dev.vars helpers", () => {
  it("reads plain and quoted values", () => {
    const text = "# local\nFOO=1\nTEACHER_KEY = \"abc\"\n";
    expect(readDevVar(text, "TEACHER_KEY")).toBe("abc");
    expect(readDevVar(text, "FOO")).toBe("1");
    expect(readDevVar(text, "BAR")).toBeUndefined();
  });

  it("keeps an existing teacher key", () => {
    expect(ensureTeacherKey("TEACHER_KEY=k1\n")).toEqual({ text: "TEACHER_KEY=k1\n", key: "k1", created: false });
  });

  it("adds a key when missing, keeping other lines", () => {
    const result = ensureTeacherKey("FOO=1", () => "k2");
    expect(result).toEqual({ text: "FOO=1\nTEACHER_KEY=k2\n", key: "k2", created: true });
  });

  it("makes 24-character base64url keys", () => {
    const key = newTeacherKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(newTeacherKey()).not.toBe(key);
  });
});
