import { z } from 'zod';

/** The subset of JSON Schema (as zod 4 emits it) the doc reads. */
export interface Js {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Js>;
  required?: string[];
  items?: Js;
  anyOf?: Js[];
  oneOf?: Js[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
}

export const jsonSchema = (s: z.ZodType): Js => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Js;

const range = (lo0: number | undefined, hi0: number | undefined, unit = ''): string => {
  // zod writes JavaScript's safe-integer bounds on every int(); they say nothing to a reader.
  const lo = lo0 === Number.MIN_SAFE_INTEGER ? undefined : lo0;
  const hi = hi0 === Number.MAX_SAFE_INTEGER ? undefined : hi0;
  if (lo !== undefined && hi !== undefined) return lo === hi ? `exactly ${lo}${unit}` : `${lo}–${hi}${unit}`;
  if (lo !== undefined) return `≥ ${lo}${unit}`;
  if (hi !== undefined) return `≤ ${hi}${unit}`;
  return '';
};

const cell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A one-line type, e.g. `string (22 chars, base64url)` or `integer 0–2147483647`. */
export function typeText(s: Js): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return alts.map(typeText).join(' or ');
  const t = Array.isArray(s.type) ? s.type.join('/') : s.type;
  switch (t) {
    case 'string': {
      const len = range(s.minLength, s.maxLength, ' chars');
      const b64 = s.pattern === '^[A-Za-z0-9_-]+$' ? 'base64url' : s.pattern ? `matches \`${cell(s.pattern)}\`` : '';
      const extra = [len, b64].filter(Boolean).join(', ');
      return extra ? `string (${extra})` : 'string';
    }
    case 'integer':
    case 'number': {
      const lo = s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : s.minimum;
      const r = range(lo, s.maximum);
      return r ? `${t} ${r}` : t;
    }
    case 'array': {
      const r = range(s.minItems, s.maxItems, ' items');
      return `array of ${s.items ? typeText(s.items) : 'any'}${r ? ` (${r})` : ''}`;
    }
    case 'object':
      return 'object';
    default:
      return t ?? 'any';
  }
}

/** A Markdown table of an object schema's fields. */
export function fieldTable(s: Js): string {
  const props = Object.entries(s.properties ?? {});
  if (!props.length) return '_No fields._';
  const req = new Set(s.required ?? []);
  const rows = props.map(([name, p]) => `| \`${name}\` | ${typeText(p)} | ${req.has(name) ? 'yes' : 'no'} | ${cell(p.description ?? '')} |`);
  return ['| Field | Type | Required | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** A plausible value for a schema, for endpoints and messages that have no hand-written example. */
export function synthesize(s: Js): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.[0]) return synthesize(alts[0]);
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (t) {
    case 'string':
      return 'A'.repeat(Math.min(s.maxLength ?? 16, Math.max(s.minLength ?? 16, 1)));
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return true;
    case 'array':
      return s.items && (s.minItems ?? 1) > 0 ? [synthesize(s.items)] : [];
    case 'object': {
      const req = new Set(s.required ?? []);
      return Object.fromEntries(Object.entries(s.properties ?? {}).filter(([k]) => req.has(k)).map(([k, p]) => [k, synthesize(p)]));
    }
    default:
      return null;
  }
}

/** Pretty JSON with long strings (sealed frames) shortened so the doc stays readable. */
export function exampleJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 64 && /^[\w.-]+$/.test(v) ? `${v.slice(0, 16)}…(${v.length} characters)` : v), 2);
}
