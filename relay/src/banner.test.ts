import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { bannerLines } from './banner.js';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.168.1.23', 'IPv4', false), iface('fe80::1', 'IPv6', false)],
  wlan0: [iface('10.0.0.5', 'IPv4', false)],
};

describe('bannerLines', () => {
  it('lists the local URL and every LAN IPv4 URL on a wildcard bind', () => {
    const lines = bannerLines({ scheme: 'https', host: '0.0.0.0', port: 8443, interfaces });
    expect(lines).toContain('  Local:   https://localhost:8443/');
    expect(lines).toContain('  Network: https://192.168.1.23:8443/');
    expect(lines).toContain('  Network: https://10.0.0.5:8443/');
    expect(lines.join('\n')).not.toMatch(/127\.0\.0\.1|fe80|::1/);
    expect(lines.join('\n')).not.toContain('secure');
  });

  it('lists no LAN URL when bound to one address, and explains HTTPS for phones on plain HTTP', () => {
    const lines = bannerLines({ scheme: 'http', host: '127.0.0.1', port: 8080, interfaces });
    expect(lines).toContain('  Local:   http://127.0.0.1:8080/');
    expect(lines.join('\n')).not.toContain('192.168.1.23');
    expect(lines.join('\n')).toContain('TLS_CERT and TLS_KEY');
  });
});
