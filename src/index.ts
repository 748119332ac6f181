import { Hono } from "hono";
import type { Env } from "./env";

export { LabObject } from "./rooms/lab";
export { ClusterObject } from "./rooms/cluster";

const app = new Hono<{ Bindings: Env }>();

app.get("/api/health", (c) => c.json({ ok: true }));

export default app;
