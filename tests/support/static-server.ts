import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface StaticFile {
  type: string;
  body: string | Buffer;
}

/** Serves fixed files on 127.0.0.1 (a secure context for WebCrypto); 404 for anything else. */
export async function serveFiles(files: Record<string, StaticFile>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f.type, 'cache-control': 'no-store' }).end(f.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Bundles one browser entry (TypeScript, JSON imports included) into a single ES module. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const out = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  return out.outputFiles[0]!.text;
}

export const HTML_PAGE = (script: string): StaticFile => ({
  type: 'text/html',
  body: `<!doctype html><meta charset="utf-8"><title>test</title><script type="module" src="${script}"></script>`,
});
export const JS = (body: string): StaticFile => ({ type: 'text/javascript', body });
