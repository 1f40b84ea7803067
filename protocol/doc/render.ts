import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { CloseCode, ErrorCode } from '../src/codes.js';
import { messageMetaSchema, partHeaderSchema } from '../src/content.js';
import { HKDF_SALT, Label } from '../src/crypto/labels.js';
import { frameAad, maxContentBytes } from '../src/crypto/seal.js';
import { HTTP_API, type Endpoint } from '../src/http-api.js';
import * as limits from '../src/limits.js';
import { base64urlLength } from '../src/messages/common.js';
import { httpErrorSchema } from '../src/messages/error.js';
import { PROTOCOL_HISTORY, PROTOCOL_VERSION } from '../src/version.js';
import { MEMBER_ENTRY_BYTES, WIRE_FIXED_BYTES } from '../src/wire-size.js';
import { EXAMPLES } from './examples.js';
import { exampleJson, fieldTable, jsonSchema, synthesize } from './schema-text.js';
import { sourceDocs } from './source-docs.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const README = join(ROOT, 'protocol/README.md');
const SRC = join(ROOT, 'protocol/src');

/** Every generated block, in README order. */
export const BLOCKS = ['version', 'ws-messages', 'http-api', 'http-error', 'codes', 'limits', 'sealed-frame', 'wire-sizes', 'content'] as const;
export type BlockName = (typeof BLOCKS)[number];

const fence = (json: string): string => '```json\n' + json + '\n```';

function example(key: string, schema: z.ZodType): string {
  if (key in EXAMPLES) {
    const ex = EXAMPLES[key];
    const ok = schema.safeParse(ex);
    if (!ok.success) throw new Error(`protocol doc: example "${key}" does not match its schema: ${ok.error.issues[0]?.path.join('.')}: ${ok.error.issues[0]?.message}`);
    return fence(exampleJson(ex));
  }
  const synth = synthesize(jsonSchema(schema));
  const note = schema.safeParse(synth).success ? 'Example (synthesized from the schema):' : 'Shape (synthesized from the schema; values are placeholders):';
  return `${note}\n\n${fence(exampleJson(synth))}`;
}

/** Every exported discriminated union in protocol/src (the /ws unions, and any another endpoint adds). */
async function messageUnions(): Promise<Array<{ file: string; name: string; union: z.ZodDiscriminatedUnion }>> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) files.push(p);
    }
  };
  walk(SRC);
  const out: Array<{ file: string; name: string; union: z.ZodDiscriminatedUnion }> = [];
  const seen = new Set<unknown>();
  // index.ts only re-exports: every union is found in its own file first.
  files.sort((a, b) => Number(a.endsWith('/index.ts')) - Number(b.endsWith('/index.ts')));
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod).sort(([a], [b]) => a.localeCompare(b))) {
      if (value instanceof z.ZodDiscriminatedUnion && value !== (messageMetaSchema as unknown) && !seen.has(value)) {
        seen.add(value);
        out.push({ file: relative(ROOT, file), name, union: value });
      }
    }
  }
  return out;
}

const KNOWN_UNIONS: Record<string, { title: string; prefix: string }> = {
  clientMessageSchema: { title: 'Client → relay on `/ws`', prefix: 'client' },
  serverMessageSchema: { title: 'Relay → client on `/ws`', prefix: 'server' },
};

async function wsMessages(): Promise<string> {
  const parts: string[] = [];
  const unions = await messageUnions();
  unions.sort((a, b) => (KNOWN_UNIONS[b.name] ? 1 : 0) - (KNOWN_UNIONS[a.name] ? 1 : 0));
  for (const { file, name, union } of unions) {
    const known = KNOWN_UNIONS[name];
    const key = union._zod.def.discriminator;
    parts.push(`### ${known?.title ?? `\`${name}\``}\n\nFrom \`${file}\` (\`${name}\`), discriminated by \`${key}\`.${union.description ? ` ${union.description}` : ''}`);
    for (const option of union.options as z.ZodType[]) {
      const js = jsonSchema(option);
      const literal: unknown = js.properties?.[key]?.const;
      const tag = typeof literal === 'string' ? literal : '?';
      const prefix = known?.prefix ?? name;
      parts.push(`#### \`${tag}\`${known ? ` (${known.prefix === 'client' ? 'client → relay' : 'relay → client'})` : ''}\n\n${js.description ?? ''}\n\n${fieldTable(js)}\n\n${example(`${prefix}:${tag}`, option)}`);
    }
  }
  return parts.join('\n\n');
}

function endpoint(e: Endpoint, errorDocs: Map<string, string>): string {
  const lines = [`### \`${e.method} ${e.path}\``, '', e.summary, ''];
  lines.push(`- Auth: ${e.auth === 'none' ? 'none' : '`Authorization: Bearer <ghost session token>`'}`);
  lines.push(`- Success: \`${e.status}\`${e.response ? ' with a JSON body' : ''}`);
  const errName = (c: string) => Object.entries(ErrorCode).find(([, v]) => v === c)?.[0] ?? '';
  lines.push(`- Errors (body \`{ error, message }\`):${e.errors.length ? '' : ' none'}`);
  for (const c of e.errors) lines.push(`  - \`${c}\`: ${errorDocs.get(`ErrorCode.${errName(c)}`) ?? ''}`);
  if (e.request) lines.push('', '**Request body**', '', fieldTable(jsonSchema(e.request)), '', example(`${e.method} ${e.path} request`, e.request));
  if (e.response) lines.push('', '**Response body**', '', fieldTable(jsonSchema(e.response)), '', example(`${e.method} ${e.path} response`, e.response));
  return lines.join('\n');
}

function codeTable(obj: Record<string, string | number>, prefix: string, docs: Map<string, string>): string {
  const rows = Object.entries(obj).map(([name, value]) => {
    const doc = docs.get(`${prefix}.${name}`);
    if (!doc) throw new Error(`protocol doc: ${prefix}.${name} in codes.ts has no doc comment`);
    return `| \`${typeof value === 'string' ? value : String(value)}\` | \`${prefix}.${name}\` | ${doc} |`;
  });
  return ['| Code | Name | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function limitsTable(): string {
  const docs = sourceDocs(join(SRC, 'limits.ts'));
  // Sorted: a module namespace has no reliable key order across loaders.
  const rows = Object.entries(limits)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => {
    const doc = docs.get(name);
    if (!doc) throw new Error(`protocol doc: ${name} in limits.ts has no doc comment`);
    return `| \`${name}\` | ${String(value)} | ${doc} |`;
  });
  return ['| Name | Value | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function sealedFrame(): string {
  const { IV_BYTES, TAG_BYTES, PAD_HEADER_BYTES, CHAT_FRAME_BYTES, MEDIA_FRAME_BYTES } = limits;
  const row = (bucket: 'chat' | 'media', total: number) =>
    `| ${bucket} | ${total} | ${base64urlLength(total)} | ${total - IV_BYTES - TAG_BYTES} | ${maxContentBytes(bucket)} |`;
  return [
    '| Offset | Bytes | What |',
    '| --- | --- | --- |',
    `| 0 | ${IV_BYTES} (\`IV_BYTES\`) | random AES-GCM IV, fresh per frame |`,
    `| ${IV_BYTES} | bucket − ${IV_BYTES + TAG_BYTES} | AES-256-GCM ciphertext of the padded plaintext |`,
    `| bucket − ${TAG_BYTES} | ${TAG_BYTES} (\`TAG_BYTES\`) | GCM tag |`,
    '',
    `Padded plaintext: a big-endian u32 content length (\`PAD_HEADER_BYTES\` = ${PAD_HEADER_BYTES}), the content, then zeros up to the bucket.`,
    '',
    '| Bucket | Sealed bytes | base64url chars in `data` | Padded plaintext bytes | Largest content |',
    '| --- | --- | --- | --- | --- |',
    row('chat', CHAT_FRAME_BYTES),
    row('media', MEDIA_FRAME_BYTES),
    '',
    `Associated data (AAD): the UTF-8 bytes of \`ghostwire/v<PROTOCOL_VERSION>/room/<roomId>\`, today e.g. \`${new TextDecoder().decode(frameAad('q3VfN0uJ8c2Lh7aZ1xY4Tg'))}\`; a frame sealed for another room or version fails to open.`,
    '',
    `Key derivation (HKDF-SHA-256, salt \`${HKDF_SALT}\`, from the 32-byte room secret S):`,
    '',
    '| Output | `info` label | Bytes |',
    '| --- | --- | --- |',
    `| room id (base64url) | \`${Label.RoomId}\` | ${limits.ROOM_ID_BYTES} |`,
    `| access key | \`${Label.AccessKey}\` | ${limits.ACCESS_KEY_BYTES} |`,
    `| content key (AES-256-GCM) | \`${Label.ContentKey}\` | 32 |`,
    '',
    'The relay stores `accessKeyHash` = base64url(SHA-256(access key)).',
  ].join('\n');
}

function wireSizes(): string {
  const w = WIRE_FIXED_BYTES;
  return [
    '`d(n)` is the number of decimal digits of `n`; `k` the number of other members. Sizes are bytes of the WebSocket text payload.',
    '',
    '| Message | Size in bytes |',
    '| --- | --- |',
    `| \`frame\` client → relay, chat | ${w.clientFrame.chat} + d(ref) |`,
    `| \`frame\` client → relay, media | ${w.clientFrame.media} + d(ref) |`,
    `| \`frame\` relay → client, chat | ${w.serverFrame.chat} + d(seq) |`,
    `| \`frame\` relay → client, media | ${w.serverFrame.media} + d(seq) |`,
    `| \`sent\` | ${w.sent} + d(ref) + d(seq) + d(delivered) |`,
    `| \`presence\` join / leave | ${w.presenceJoin} / ${w.presenceLeave} |`,
    `| \`joined\` | ${w.joined} + (k = 0 ? 0 : ${MEMBER_ENTRY_BYTES}·k − 1) + d(seq) + d(expiresAt) + d(epoch) |`,
    `| \`join\` | ${w.join} + token length, + ${w.joinLastSeq} + d(lastSeq) with \`lastSeq\` |`,
  ].join('\n');
}

function versionBlock(): string {
  return [
    `Current version: **${PROTOCOL_VERSION}** (every message carries it as \`v\`).`,
    '',
    '| Version | Schema hash | What |',
    '| --- | --- | --- |',
    ...PROTOCOL_HISTORY.map((h) => `| ${h.version} | \`${h.schemaHash}\` | ${h.note} |`),
  ].join('\n');
}

function content(): string {
  const layout = [
    'Inside a sealed frame (after unpadding) is a signed envelope, binary, big-endian lengths:',
    '',
    '```',
    'envelope = u8 version (1) ‖ u8 alg (1 = ECDSA P-256/SHA-256, 2 = Ed25519) ‖ u16 len ‖ SPKI public key',
    '           ‖ u16 len ‖ signature ‖ part',
    'part     = u16 len ‖ JSON part header ‖ slice of the message bytes',
    'message  = u16 len ‖ JSON meta ‖ attachment (image bytes, if any)',
    'signed   = "ghostwire/room-message-sig/v1" ‖ roomId ‖ sender member id ‖ part   (each length-prefixed)',
    '```',
    '',
    'A receiver binds each member id to the first key that signs validly for it and rejects any other key under that id.',
    '',
    "Order and completeness: every part header carries the sender's stream id `s` and counter `c` inside the signature, so the relay",
    'cannot renumber them. A receiver tracks (key fingerprint, `s`): a counter between the first and the last it has seen that has not',
    'arrived is a gap (shown as "n messages from … did not arrive"); messages are shown in counter order where the relay delivered',
    "them otherwise; a counter seen again under the same member id is a replay (dropped and counted); the same message signed for a",
    'new member id is the sender resending after a reconnect (dropped quietly). Counters before the first message a receiver saw',
    'predate its membership and are not gaps.',
    '',
    'Reassembly budgets are per member id and per signing key, counted as bytes arrive (REASSEMBLY_MAX_SENDER_BYTES,',
    'REASSEMBLY_MAX_PENDING_PER_SENDER); an unfinished message ends REASSEMBLY_TIMEOUT_MS after the last part that added data, and',
    'REASSEMBLY_MAX_LIFETIME_MS after its first part. When REASSEMBLY_MAX_PENDING_BYTES is reached, the key holding the most loses',
    'its oldest unfinished message.',
  ].join('\n');
  const header = `#### Part header\n\n${fieldTable(jsonSchema(partHeaderSchema))}\n\n${example('content-part', partHeaderSchema)}`;
  const metas = (messageMetaSchema.options as z.ZodType[]).map((o) => {
    const js = jsonSchema(o);
    const k = String(js.properties?.k?.const);
    return `#### Meta \`k: ${JSON.stringify(k)}\`\n\n${fieldTable(js)}\n\n${example(`content-${k}`, o)}`;
  });
  return [layout, header, ...metas].join('\n\n');
}

/** The text of every generated block. */
export async function generatedBlocks(): Promise<Record<BlockName, string>> {
  const codeDocs = sourceDocs(join(SRC, 'codes.ts'));
  return {
    version: versionBlock(),
    'ws-messages': await wsMessages(),
    'http-api': HTTP_API.map((e) => endpoint(e, codeDocs)).join('\n\n'),
    'http-error': `${fieldTable(jsonSchema(httpErrorSchema))}\n\n${example('http error', httpErrorSchema)}`,
    codes: `#### Close codes\n\n${codeTable(CloseCode, 'CloseCode', codeDocs)}\n\n#### Error codes\n\n${codeTable(ErrorCode, 'ErrorCode', codeDocs)}`,
    limits: limitsTable(),
    'sealed-frame': sealedFrame(),
    'wire-sizes': wireSizes(),
    content: content(),
  };
}

const marker = (name: string) => new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`);

/** The README with every generated block replaced; throws if a block's markers are missing. */
export async function renderReadme(current: string): Promise<string> {
  const blocks = await generatedBlocks();
  let out = current;
  for (const name of BLOCKS) {
    const re = marker(name);
    if (!re.test(out)) throw new Error(`protocol/README.md lacks the markers of generated block "${name}"`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}\n${blocks[name]}\n${close}`);
  }
  return out;
}
