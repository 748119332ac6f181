import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { notImplemented } from "./not-implemented";

/** One team's simulated cluster (placeholder until the real room is written). */
export class ClusterObject extends DurableObject<Env> {
  override async fetch(_request: Request): Promise<Response> {
    return notImplemented("ClusterObject is not implemented yet");
  }
}
