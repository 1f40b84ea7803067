/**
 * Structured JSON-lines logger. Callers pass only aggregate facts (counts,
 * sizes, event names); `redact` is a second line of defence that drops any
 * field whose name suggests secret or identifying content, and any value that
 * looks like an address or a random identifier, whatever its field is called.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
const FORBIDDEN_FIELD = /(token|secret|key|payload|data|ip|addr|host|room|member|ghost|origin|body|text|message|url|path|ua|agent|cookie|auth)/i;
/** Longest string value kept: event names and error class names, never content. */
export const MAX_LOGGED_STRING = 48;
/** IPv4 anywhere in a value, IPv6 (three or more colon groups, `::` included). */
const IP_LIKE = /\b\d{1,3}(?:\.\d{1,3}){3}\b|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,}/i;
/** Ids, tokens and keys are long runs of base64url/hex characters... */
const LONG_RUN = /[A-Za-z0-9+/=_-]{16,}/g;
/** ...that, unlike long words, snake_case or kebab-case names and CONSTANT_NAMES, mix case or hold digits. */
const WORDY = /^(?:[a-z]+(?:[_-][a-z]+)*|[A-Z]+(?:_[A-Z]+)*)$/;
const REDACTED = '[redacted]';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** A string value looks like something that identifies a person, a room or a credential. */
export function looksIdentifying(s: string): boolean {
  return IP_LIKE.test(s) || (s.match(LONG_RUN) ?? []).some((run) => !WORDY.test(run));
}

/** Keeps numbers, booleans and short harmless strings under harmless names; drops everything else. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (FORBIDDEN_FIELD.test(k) || k === 't' || k === 'level' || k === 'msg') continue;
    if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'string' && v.length <= MAX_LOGGED_STRING && /^[\w .:/-]*$/.test(v) && !looksIdentifying(v)) out[k] = v;
  }
  return out;
}

/** The message is meant to be a literal; if one ever interpolates an id or address, it is cut out. */
function scrubMessage(msg: string): string {
  return looksIdentifying(msg) ? REDACTED : msg;
}

/** A logger writing one JSON object per line to `write` (stdout by default), at `level` and above. */
export function createLogger(level: Level, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const min = ORDER[level];
  const emit = (lvl: Exclude<Level, 'silent'>, msg: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[lvl] < min) return;
    write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg: scrubMessage(msg), ...redact(fields) }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
