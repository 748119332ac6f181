/** Bindings available to the Worker (see wrangler.toml). */
export interface Env {
  DB: D1Database;
  LAB: DurableObjectNamespace<import('./rooms/lab').LabObject>;
  CLUSTER: DurableObjectNamespace<import('./rooms/cluster').ClusterObject>;
  ASSETS: Fetcher;
  /** Secret: `wrangler secret put TEACHER_KEY` in production, .dev.vars locally. */
  TEACHER_KEY: string;
  /** Rate limits (src/api/guard.ts): lookups and joins per client, failures per client. */
  LOOKUP_LIMITER: RateLimit;
  FAILURE_LIMITER: RateLimit;
  /** "off" disables the rate limits (vars in wrangler.toml). */
  RATE_LIMITS?: string;
  /** Seconds a client that tripped FAILURE_LIMITER waits (vars in wrangler.toml). */
  RATE_LIMIT_BLOCK_SECONDS?: string;
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
