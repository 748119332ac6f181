/** Bindings available to the Worker (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  LAB: DurableObjectNamespace<import('./rooms/lab').LabObject>;
  CLUSTER: DurableObjectNamespace<import('./rooms/cluster').ClusterObject>;
  ASSETS: Fetcher;
  /** Secret: `wrangler secret put TEACHER_KEY` in production, .dev.vars locally. */
  TEACHER_KEY: string;
  /** Optional: the origin students use (e.g. http://192.168.1.20:8787), set by `npm start -- --lan`. */
  PUBLIC_ORIGIN?: string;
}

type QuorumEnv = Env;

// Gives `env` and `exports` from "cloudflare:workers" (and `ctx.exports`) this project's types.
declare global {
  namespace Cloudflare {
    interface Env extends QuorumEnv {}
    interface GlobalProps {
      mainModule: typeof import("./index");
      durableNamespaces: "LabObject" | "ClusterObject";
    }
  }
}
