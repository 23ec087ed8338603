import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '../../subgraphs/kit/http.js';

const HERE = dirname(fileURLToPath(import.meta.url));
// chart.js exports no subpath for its UMD build: resolve the package's entry and take its folder.
const CHART_DIST = dirname(createRequire(import.meta.url).resolve('chart.js'));
// The 16 states' shapes (GeoJSON) for the map: the amCharts 5 geodata's low-detail Germany.
const GERMANY = createRequire(import.meta.url).resolve('@amcharts/amcharts5-geodata/json/germanyLow.json');

/** Everything the page loads comes from this origin: no inline code, no CDN, no external fonts. */
export const DASHBOARD_CSP =
  "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

interface Asset { file: string; type: string }

const ASSETS: Record<string, Asset> = {
  '/dashboard': { file: join(HERE, 'index.html'), type: HTML },
  '/dashboard/': { file: join(HERE, 'index.html'), type: HTML },
  '/dashboard/app.js': { file: join(HERE, 'app.js'), type: JS },
  '/dashboard/charts.js': { file: join(HERE, 'charts.js'), type: JS },
  '/dashboard/dom.js': { file: join(HERE, 'dom.js'), type: JS },
  '/dashboard/filters.js': { file: join(HERE, 'filters.js'), type: JS },
  '/dashboard/money.js': { file: join(HERE, 'money.js'), type: JS },
  '/dashboard/map.js': { file: join(HERE, 'map.js'), type: JS },
  '/dashboard/map.css': { file: join(HERE, 'map.css'), type: 'text/css; charset=utf-8' },
  '/dashboard/germany.json': { file: GERMANY, type: 'application/geo+json' },
  '/dashboard/style.css': { file: join(HERE, 'style.css'), type: 'text/css; charset=utf-8' },
  '/dashboard/favicon.svg': { file: join(HERE, 'favicon.svg'), type: 'image/svg+xml' },
  '/dashboard/chart.umd.js': { file: join(CHART_DIST, 'chart.umd.js'), type: JS },
};

function serve(asset: Asset): RouteHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Nur GET und HEAD sind erlaubt.');
      return;
    }
    const body = await readFile(asset.file);
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': body.length,
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // Revalidated on every load, so a new deployment shows at once.
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/** The dashboard page and its assets by exact path, for the gateway's HTTP server. */
export function dashboardRoutes(): Record<string, RouteHandler> {
  return Object.fromEntries(Object.entries(ASSETS).map(([path, asset]) => [path, serve(asset)]));
}
