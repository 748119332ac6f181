import { describe, expect, it } from "vitest";
import { lanAddress } from "../../scripts/lan.mjs";

const nic = (address: string, internal = false) => ({ address, family: "IPv4", internal, netmask: "", mac: "", cidr: null });

describe("lanAddress (npm start -- --lan)", () => {
  it("picks the private IPv4 of the room's network, never loopback", () => {
    expect(lanAddress({ lo: [nic("127.0.0.1", true)], docker0: [nic("8.8.4.4")], wlan0: [nic("192.168.1.20")] })).toBe("192.168.1.20");
    expect(lanAddress({ eth0: [nic("172.20.0.3")] })).toBe("172.20.0.3");
  });
  it("says null when there is no network", () => {
    expect(lanAddress({ lo: [nic("127.0.0.1", true)] })).toBeNull();
  });
});
