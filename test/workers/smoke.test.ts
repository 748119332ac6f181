import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("worker smoke", () => {
  it("answers GET /api/health", async () => {
    const res = await exports.default.fetch("https://quorum-lab.test/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it("answers unknown API paths with the JSON error shape", async () => {
    const res = await exports.default.fetch("https://quorum-lab.test/api/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("reaches the Durable Object bindings", async () => {
    // A lab object that was never created answers its lobby info with null.
    expect(await env.LAB.getByName("smoke-lab").info()).toBeNull();
  });

  it("has the D1 migrations applied", async () => {
    const row = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?")
      .bind("labs")
      .first<{ name: string }>();
    expect(row?.name).toBe("labs");
  });

  it("has the test teacher key", () => {
    expect(env.TEACHER_KEY).toBe("test-teacher-key");
  });
});
