// The address students type or scan in a classroom: this machine's private IPv4 on the room's
// network (used by `npm start -- --lan`).
import { networkInterfaces } from "node:os";

/** The first private IPv4 address (10/8, 172.16/12, 192.168/16), else any external IPv4, else null. */
export function lanAddress(interfaces = networkInterfaces()) {
  const all = Object.values(interfaces)
    .flat()
    .filter((i) => i && i.family === "IPv4" && !i.internal);
  const isPrivate = (a) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  return (all.find((i) => isPrivate(i.address)) ?? all[0])?.address ?? null;
}
