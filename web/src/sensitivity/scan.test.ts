import { describe, expect, it } from 'vitest';
import { ibanValid, ipv6Valid, luhnValid, shannonEntropy } from './checks.js';
import { describeFindings, scanText, type FindingKind } from './scan.js';

const kinds = (text: string): FindingKind[] => scanText(text).map((f) => f.kind);

describe('scanText finds', () => {
  it.each<[string, FindingKind, string]>([
    ['write to jane.doe+work@example.co.uk today', 'email', 'jane.doe+work@example.co.uk'],
    ['call +44 20 7946 0958 after six', 'phone', '+44 20 7946 0958'],
    ['or (555) 123-4567', 'phone', '(555) 123-4567'],
    ['card 4111 1111 1111 1111 exp 12/29', 'card', '4111 1111 1111 1111'],
    ['card 5500-0000-0000-0004', 'card', '5500-0000-0000-0004'],
    ['pay to GB82 WEST 1234 5698 7654 32 please', 'iban', 'GB82 WEST 1234 5698 7654 32'],
    ['IBAN DE89370400440532013000', 'iban', 'DE89370400440532013000'],
    ['eth 0x52908400098527886E0F7030069857D2E4169EE7', 'crypto-address', '0x52908400098527886E0F7030069857D2E4169EE7'],
    ['btc bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'crypto-address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq'],
    ['legacy 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'crypto-address', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    ['server at 192.168.10.254 is down', 'ip', '192.168.10.254'],
    ['v6 2001:db8:85a3::8a2e:370:7334 too', 'ip', '2001:db8:85a3::8a2e:370:7334'],
    ['token ghp_R8x2Lq9ZtV4mN7pK1sW3yB6cD0fH5jGaE2uQ here', 'secret', 'ghp_R8x2Lq9ZtV4mN7pK1sW3yB6cD0fH5jGaE2uQ'],
    ['key AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI', 'secret', 'AKIAIOSFODNN7EXAMPLE/wJalrXUtnFEMI'],
  ])('%s → %s', (text, kind, span) => {
    const f = scanText(text);
    expect(f.map((x) => x.kind)).toEqual([kind]);
    expect(text.slice(f[0]!.start, f[0]!.end)).toBe(span);
  });

  it('finds several kinds in one message, in order', () => {
    expect(kinds('mail a@b.io, card 4242424242424242, ip 10.0.0.1')).toEqual(['email', 'card', 'ip']);
  });
});

describe('scanText does not warn about', () => {
  it.each([
    'see you at 10:30 tomorrow, room 4B',
    'the meeting is on 2024-05-17',
    'order 1234 5678 9012 3456 shipped', // 16 digits that fail Luhn
    'version 1.2.3 and 300.1.1.1', // not a valid IPv4 (300)
    'canary-1f2e3d4c5b6a7980 from alice', // hex ids glued to words
    'GB00 WEST 1234 5698 7654 32', // IBAN with wrong check digits
    'call me maybe',
    'the year 2026 and 42 people',
    'an ordinary sentence with supercalifragilisticexpialidocious in it',
    'path /usr/local/share/applications/firefox.desktop',
    '0x1234', // too short for an address
    'time 12:34:56',
  ])('%s', (text) => {
    expect(scanText(text)).toEqual([]);
  });
});

describe('checks', () => {
  it('Luhn, IBAN mod-97, entropy and IPv6 shape', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(ibanValid('FR14 2004 1010 0505 0001 3M02 606')).toBe(true);
    expect(ibanValid('FR15 2004 1010 0505 0001 3M02 606')).toBe(false);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(ipv6Valid('::1')).toBe(true);
    expect(ipv6Valid('::ffff:192.0.2.1')).toBe(true);
    expect(ipv6Valid('1:2:3:4:5:6:7:8:9')).toBe(false);
    expect(ipv6Valid('1::2::3')).toBe(false);
  });

  it('describes findings in one sentence', () => {
    expect(describeFindings([])).toBeNull();
    expect(describeFindings(scanText('a@b.io and 4242424242424242'))).toBe(
      'This message looks like it contains an email address and a payment card number. Anyone in the room can keep what you send. Send it anyway?',
    );
  });
});
