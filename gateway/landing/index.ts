import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RouteHandler } from '../../subgraphs/kit/http.js';
import { DASHBOARD_CSP } from '../dashboard/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CSS = readFileSync(join(HERE, 'landing.css'));

/** What this gateway serves, so the page links only to what answers. */
export interface LandingOptions {
  /** GraphiQL at GET /graphql. */
  explorer: boolean;
  /** /dashboard is served. */
  dashboard: boolean;
  /** /metrics answers its scraper (HUB_METRICS_TOKEN set). */
  metrics: boolean;
}

/**
 * The README's sections, described here because the page must work without the repository or a
 * network at hand; the landing test checks each title is still a heading of README.md.
 */
export const README_SECTIONS: { title: string; about: string }[] = [
  { title: 'Two commands', about: 'den Hub installieren und starten, die Tests ausführen' },
  { title: 'In the browser', about: 'diese Startseite, der GraphQL-Explorer und das Dashboard' },
  { title: 'Architecture', about: 'Gateway, Teilgraphen (Bündnisse, Netzwerke, Projekte, Personen) und ihre Datenbanken' },
  { title: 'Regions: each state owns its data', about: 'jedes Land betreibt eigene Instanzen; Kennungen beginnen mit dem Land' },
  { title: 'Access, personal data and limits', about: 'Token und Rollen, Schutz der Kontaktdaten, Grenzen je Anfrage' },
  { title: 'Operating the hub', about: 'Betrieb mit Docker Compose, Migrationen, Health, Logs, Metriken, Tracing' },
  { title: 'Example operations', about: 'Beispielabfragen – dieselben, die der Explorer anbietet' },
  { title: 'Importing a network\'s member list', about: 'Mitgliederlisten aus CSV oder Excel einlesen' },
  { title: 'Demo data', about: 'was die Demodaten enthalten' },
  { title: 'Configuration', about: 'alle Einstellungen (Umgebungsvariablen) mit ihren Vorgaben' },
  { title: 'Development', about: 'Schema erzeugen, Migrationen schreiben, Tests und Benchmarks' },
];

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function link(href: string, title: string, about: string, off?: string): string {
  const head = off ? `<span class="off">${escape(title)}</span>` : `<a href="${escape(href)}">${escape(title)}</a>`;
  return `<li data-link="${escape(href)}">${head} <code>${escape(href)}</code><p>${escape(off ?? about)}</p></li>`;
}

export function landingHtml(options: LandingOptions): string {
  const entries = [
    link('/graphql', 'GraphQL-Explorer', 'Abfragen schreiben und ausführen, mit Beispielen, Schema-Dokumentation und Feld für das Token.',
      options.explorer ? undefined : 'In diesem Betrieb abgeschaltet (HUB_EXPLORER=on schaltet ihn ein). Die Schnittstelle selbst nimmt POST /graphql an.'),
    link('/dashboard', 'Dashboard', 'Projekte, Bündnisse, Mitgliedsorganisationen und Netzwerke im Überblick, mit Filtern und Karte.',
      options.dashboard ? undefined : 'Wird von diesem Gateway nicht ausgeliefert.'),
    link('/health/ready', 'Bereitschaft', 'Antwortet 200, wenn von jedem Teilgraphen eine Instanz antwortet, sonst 503 mit dem Grund.'),
    link('/health/live', 'Lebenszeichen', 'Antwortet 200, solange der Prozess läuft.'),
    link('/metrics', 'Metriken (Prometheus)',
      'Nur für den Scraper mit dem Token aus HUB_METRICS_TOKEN (authorization: Bearer …); ohne Token 401.',
      options.metrics ? undefined : 'Abgeschaltet: das Gateway läuft ohne HUB_METRICS_TOKEN (dann 404).'),
  ];
  const sections = README_SECTIONS.map((s) => `<li><strong>${escape(s.title)}</strong> – ${escape(s.about)}</li>`).join('\n        ');
  return `<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Bündnis-Hub – Lokale Bündnisse für Familie</title>
  <link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/dashboard/style.css">
  <link rel="stylesheet" href="/landing.css">
</head>
<body>
  <a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
  <header class="page-header">
    <h1>Bündnis-Hub</h1>
    <p>Eine GraphQL-Schnittstelle für die Lokalen Bündnisse für Familie und die Netzwerke der Länder.</p>
  </header>
  <main id="inhalt" class="landing">
    <section aria-labelledby="services-heading">
      <h2 id="services-heading">Was dieses Gateway anbietet</h2>
      <ul class="links">
        ${entries.join('\n        ')}
      </ul>
    </section>
    <section aria-labelledby="readme-heading">
      <h2 id="readme-heading">Handbuch</h2>
      <p>Die Datei <code>README.md</code> im Repository des Hubs beschreibt in diesen Abschnitten (englisch):</p>
      <ul class="sections">
        ${sections}
      </ul>
    </section>
  </main>
  <footer class="page-footer"><p>GraphQL-Schnittstelle: <code>POST /graphql</code>.</p></footer>
</body>
</html>
`;
}

function send(req: IncomingMessage, res: ServerResponse, body: string | Buffer, type: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Nur GET und HEAD sind erlaubt.');
    return;
  }
  const bytes = Buffer.from(body);
  res.writeHead(200, {
    'content-type': type, 'content-length': bytes.length, 'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** GET / (the landing page) and its stylesheet. */
export function landingRoutes(options: LandingOptions): Record<string, RouteHandler> {
  const html = landingHtml(options);
  return {
    '/': (req, res) => send(req, res, html, 'text/html; charset=utf-8'),
    '/landing.css': (req, res) => send(req, res, CSS, 'text/css; charset=utf-8'),
  };
}
