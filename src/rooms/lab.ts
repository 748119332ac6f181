import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { notImplemented } from "./not-implemented";

/** One lab session (placeholder until the real room is written). */
export class LabObject extends DurableObject<Env> {
  override async fetch(_request: Request): Promise<Response> {
    return notImplemented("LabObject is not implemented yet");
  }
}
