import { ibanValid, ipv4Valid, ipv6Valid, luhnValid, shannonEntropy } from './checks.js';

/**
 * A local sensitivity scanner: warns before sending what looks like personal
 * or secret data. Pure and synchronous: it reads the draft and returns spans;
 * it never stores or sends anything anywhere. Heuristic (best effort): it
 * misses things and occasionally warns about harmless text.
 */
export type FindingKind = 'email' | 'phone' | 'card' | 'iban' | 'crypto-address' | 'ip' | 'secret';

export interface Finding {
  kind: FindingKind;
  /** Start and end (exclusive) in the scanned text, UTF-16 code units. */
  start: number;
  end: number;
}

/** What each kind is called in a warning sentence. */
export const FINDING_LABELS: Record<FindingKind, string> = {
  email: 'an email address',
  phone: 'a phone number',
  card: 'a payment card number',
  iban: 'a bank account number (IBAN)',
  'crypto-address': 'a cryptocurrency address',
  ip: 'an IP address',
  secret: 'a password, key or token',
};

/** Bits per character above which a long token looks machine-generated (English text sits near 4.0–4.2 over words, far less per token). */
const SECRET_MIN_ENTROPY = 3.5;
const SECRET_MIN_LENGTH = 20;

interface Detector {
  kind: FindingKind;
  re: RegExp;
  accept?: (match: string) => boolean;
  /** Keep other detectors off a span of this shape even when `accept` refuses it (an IBAN with bad check digits is not a phone number). */
  claimsShape?: boolean;
}

/** Dates are digit groups with separators too; never report them as phone numbers. */
const DATE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

// Boundaries: a match may not be glued to letters/digits on either side, so
// ids and hashes inside longer words do not trigger (e.g. `canary-1234567abc`).
const DETECTORS: Detector[] = [
  { kind: 'email', re: /(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])/g },
  { kind: 'iban', re: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g, accept: ibanValid, claimsShape: true },
  { kind: 'card', re: /(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])/g, accept: (m) => luhnValid(m.replace(/\D/g, '')) },
  {
    kind: 'crypto-address',
    // ETH 0x + 40 hex; BTC bech32 (bc1 + 25–87 of its alphabet); BTC base58 (1 or 3 + 25–34 base58).
    re: /(?<![\w])(?:0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{25,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34})(?![\w])/g,
  },
  { kind: 'ip', re: /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]|\.\d)/g, accept: ipv4Valid },
  { kind: 'ip', re: /(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}(?:[0-9a-fA-F]{0,4}|\d{1,3}(?:\.\d{1,3}){3})(?![\w:])/g, accept: (m) => /[0-9a-fA-F]/.test(m) && m.includes(':') && ipv6Valid(m) },
  {
    kind: 'phone',
    // International (+CC …) or national with separators; 7–15 digits in all (E.164 allows 15).
    re: /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]?\d{2,4}){1,4}(?![\w])/g,
    accept: (m) => {
      const digits = m.replace(/\D/g, '').length;
      return digits >= 7 && digits <= 15 && !DATE.test(m) && (m.startsWith('+') || /[ .()-]/.test(m) || digits >= 10);
    },
  },
  {
    kind: 'secret',
    re: /(?<![\w+/=-])[A-Za-z0-9_+/=-]{20,}(?![\w+/=-])/g,
    accept: (m) => {
      // Judge the longest hyphen-free run, so `word-1a2b3c…` ids are judged by their id part alone.
      const run = m.split('-').reduce((a, b) => (b.length > a.length ? b : a), '');
      if (run.length < SECRET_MIN_LENGTH) return false;
      const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(run)).length;
      return classes >= 2 && /\d/.test(run) && shannonEntropy(run) >= SECRET_MIN_ENTROPY;
    },
  },
];

const overlaps = (a: Finding, b: Finding): boolean => a.start < b.end && b.start < a.end;

/** Scans text; findings are in text order, and a span claimed by an earlier (more specific) detector is not reported twice. */
export function scanText(text: string): Finding[] {
  const found: Finding[] = [];
  const claimed: Finding[] = [];
  for (const d of DETECTORS) {
    for (const m of text.matchAll(d.re)) {
      const f: Finding = { kind: d.kind, start: m.index, end: m.index + m[0].length };
      if (claimed.some((g) => overlaps(f, g))) continue;
      if (d.claimsShape) claimed.push(f);
      if (d.accept && !d.accept(m[0])) continue;
      claimed.push(f);
      found.push(f);
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** One sentence for a warning before sending, or null if nothing was found. */
export function describeFindings(findings: Finding[]): string | null {
  const kinds = [...new Set(findings.map((f) => f.kind))].map((k) => FINDING_LABELS[k]);
  if (kinds.length === 0) return null;
  const list = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
  return `This message looks like it contains ${list}. Anyone in the room can keep what you send. Send it anyway?`;
}
