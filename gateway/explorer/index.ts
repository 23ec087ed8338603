import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type OutputFile } from 'esbuild';
import { sendError } from '../../subgraphs/kit/http.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Where the explorer's scripts, styles and workers are served (the page itself is GET /graphql). */
export const EXPLORER_ASSETS = '/graphql/explorer/';

/**
 * Everything comes from this origin: no CDN, no inline or evaluated script, requests to /graphql
 * only. Styles alone allow inline: the Monaco editor inside GraphiQL writes its theme and layout
 * into <style> elements it creates at run time and offers no nonce for them; fonts and images
 * are data: URLs inside GraphiQL's stylesheet.
 */
export const EXPLORER_CSP = "default-src 'self'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
  + "style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; "
  + "base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** Monaco runs its language services in workers: each is its own classic script, served from here. */
const WORKERS = {
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

/**
 * GraphiQL (npm `graphiql`, React and Monaco) bundled with esbuild from node_modules, in memory,
 * once per process: nothing is fetched from elsewhere and no build output lies around to go stale.
 */
async function bundle(): Promise<Map<string, Buffer>> {
  const common = { bundle: true, minify: true, write: false, logLevel: 'silent', legalComments: 'none', target: 'es2022' } as const;
  const [page, workers] = await Promise.all([
    build({
      ...common,
      entryPoints: { explorer: join(HERE, 'explorer.jsx') },
      outdir: '/explorer', format: 'esm', splitting: true, jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      loader: { '.ttf': 'dataurl' },
      entryNames: '[name]', chunkNames: 'chunk-[hash]',
    }),
    build({ ...common, entryPoints: WORKERS, outdir: '/explorer', format: 'iife', entryNames: '[name]' }),
  ]);
  const files = new Map<string, Buffer>();
  const add = (file: OutputFile) => files.set(file.path.slice('/explorer/'.length), Buffer.from(file.contents));
  page.outputFiles.forEach(add);
  workers.outputFiles.forEach(add);
  return files;
}

let bundled: Promise<Map<string, Buffer>> | undefined;
/** The first caller starts the build; a failed build is tried again by the next request. */
function assets(): Promise<Map<string, Buffer>> {
  bundled ??= bundle().catch((error) => {
    bundled = undefined;
    throw error;
  });
  return bundled;
}

function send(req: IncomingMessage, res: ServerResponse, body: Buffer, type: string): void {
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'content-security-policy': EXPLORER_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A browser asking /graphql for a page (not a GraphQL GET request, which carries `query`). */
export function wantsExplorer(req: IncomingMessage, url: URL): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !url.searchParams.has('query')
    && (req.headers.accept ?? '').includes('text/html');
}

/** GET /graphql from a browser: the explorer page; it starts bundling so the assets follow quickly. */
export async function serveExplorerPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  void assets().catch(() => undefined);
  send(req, res, await readFile(join(HERE, 'index.html')), TYPES['.html']!);
}

/** What GET /graphql shows a browser when the explorer is off. */
export function explorerOff(_req: IncomingMessage, res: ServerResponse): void {
  sendError(res, 404, 'NOT_FOUND',
    'The GraphQL explorer is off here (HUB_EXPLORER=on turns it on); send GraphQL operations as POST /graphql');
}

/** The explorer's bundled assets under EXPLORER_ASSETS, by path. */
export async function serveExplorerAsset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Only GET and HEAD are allowed.');
    return;
  }
  const name = pathname.slice(EXPLORER_ASSETS.length);
  const body = (await assets()).get(name);
  const type = TYPES[name.slice(name.lastIndexOf('.'))];
  if (!body || !type) return sendError(res, 404, 'NOT_FOUND', `Nothing at ${pathname}`);
  send(req, res, body, type);
}
