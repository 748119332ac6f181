// Rate-limit keys (src/api/guard.ts): one key per IPv4 address, one per IPv6 /64.
import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/api/guard';

describe('clientKey', () => {
  it('keys IPv4 addresses as they are', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('local')).toBe('local');
  });

  it('keys IPv6 addresses by their /64, whatever their spelling', () => {
    const k = clientKey('2001:db8:85a3:1:abcd::1');
    expect(k).toBe('2001:db8:85a3:1::/64');
    expect(clientKey('2001:0db8:85a3:0001:ffff:ffff:ffff:ffff')).toBe(k);
    expect(clientKey('2001:DB8:85A3:1::')).toBe(k);
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8:85a3:2::1')).not.toBe(k);
  });
});
