/** One instruction of a Dockerfile, continuation lines joined. */
export interface Instruction {
  op: string;
  args: string;
  /** Index of the build stage (FROM) it belongs to. */
  stage: number;
}

/** A small Dockerfile reader: enough to lint ours (no heredocs, no parser directives beyond `# syntax`). */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    pending += (pending ? ' ' : '') + line.replace(/\\$/, '').trim();
    if (line.endsWith('\\')) continue;
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(pending) ?? [];
    if (op.toUpperCase() === 'FROM') stage++;
    out.push({ op: op.toUpperCase(), args, stage });
    pending = '';
  }
  return out;
}

/** The JSON (exec) form of CMD/HEALTHCHECK CMD/ENTRYPOINT as an argv array. */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  return JSON.parse(json) as string[];
}
