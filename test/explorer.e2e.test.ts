import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dashboardRoutes } from '../gateway/dashboard/index.js';
import { EXPLORER_CSP } from '../gateway/explorer/index.js';
import { EXAMPLES } from '../gateway/explorer/examples.js';
import { README_SECTIONS } from '../gateway/landing/index.js';
import { startGateway, type RunningGateway } from '../gateway/server.js';
import { tokenAuthenticator } from '../gateway/auth.js';
import { SUPERGRAPH_PATH } from '../scripts/lib/supergraph.js';
import { launchBrowser } from './support/browser.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { TEST_JWT_SECRET, TEST_METRICS_TOKEN, TEST_SIGNING_KEY, tokenFor } from './support/security.js';

const STATES = ['BB', 'BE', 'BW', 'BY', 'HB', 'HE', 'HH', 'MV', 'NI', 'NW', 'RP', 'SH', 'SL', 'SN', 'ST', 'TH'];

let hub: TestHub;
/** The same subgraphs behind a gateway started as in production (HUB_ENV=production, no HUB_EXPLORER). */
let production: RunningGateway;
/** … and one in production with HUB_EXPLORER=on. */
let productionWithExplorer: RunningGateway;
let browser: Browser;
const origin = (gateway: RunningGateway) => gateway.url.replace(/\/graphql$/, '');

beforeAll(async () => {
  hub = await startTestHub({ seed: true, routes: dashboardRoutes(), metricsToken: TEST_METRICS_TOKEN });
  const productionGateway = async (explorer?: boolean) => startGateway({
    supergraphSdl: readFileSync(SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: Object.fromEntries(Object.values(hub.subgraphs).map((s) => [s.name, s.url])),
    security: { signingKey: TEST_SIGNING_KEY, authenticate: await tokenAuthenticator({ secret: TEST_JWT_SECRET }) },
    environment: 'production', explorer, routes: dashboardRoutes(), port: 0, host: '127.0.0.1',
  });
  production = await productionGateway();
  productionWithExplorer = await productionGateway(true);
  browser = await launchBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await production?.stop();
  await productionWithExplorer?.stop();
  await hub?.stop();
});

/**
 * A browser context that may reach the hub's own origin only: every request to another host is
 * refused and recorded, as are console errors (CSP violations among them), page errors, failed
 * requests and HTTP errors.
 */
async function offlineContext(site: string) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const allowed = new URL(site).host;
  const elsewhere: string[] = [];
  const requested: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    requested.push(url.href);
    if (url.protocol === 'data:' || url.host === allowed) return route.continue();
    elsewhere.push(url.href);
    return route.abort('internetdisconnected');
  });
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.host !== allowed) elsewhere.push(url.href);
  });
  const watch = (page: Page) => {
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => { if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`); });
  };
  context.on('page', watch);
  return { context, elsewhere, requested, problems };
}

/** The whole text of the Monaco editor inside `selector` (the screen shows only the lines in view). */
const editorText = (page: Page, selector: string) => page.evaluate((inside) => {
  const monaco = (globalThis as { __MONACO?: { editor: { getEditors(): { getContainerDomNode(): HTMLElement; getValue(): string }[] } } }).__MONACO;
  return monaco?.editor.getEditors().find((editor) => editor.getContainerDomNode().closest(inside))?.getValue() ?? '';
}, selector);

describe('GraphQL explorer at GET /graphql', () => {
  it('loads from the hub alone, runs a picked example and shows the answer', async () => {
    const site = origin(hub.gateway);
    const { context, elsewhere, requested, problems } = await offlineContext(site);
    const page = await context.newPage();
    const introspected = page.waitForResponse((r) => r.url() === `${site}/graphql` && (r.request().postData() ?? '').includes('__schema'),
      { timeout: 30_000 });
    await page.goto(`${site}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
    // The schema arrives through the same fetcher (introspection), for the docs and completion.
    expect((await (await introspected).json()).data.__schema.queryType.name).toBe('Query');
    const panel = page.locator('.hub-examples');
    await panel.waitFor();
    expect(await panel.locator('li[data-example]').evaluateAll((items) => items.map((li) => li.getAttribute('data-example'))))
      .toEqual(EXAMPLES.map((e) => e.name));
    await page.locator('.graphiql-container .view-lines').first().waitFor();

    const example = EXAMPLES.find((e) => e.name === 'Node')!;
    const answered = page.waitForResponse((r) => r.url() === `${site}/graphql` && r.request().method() === 'POST'
      && (r.request().postData() ?? '').includes('NW:alliance:iserlohn'));
    await panel.locator('li[data-example="Node"] button', { hasText: 'Öffnen und ausführen' }).click();
    const response = await answered;
    const body = await response.json();
    // The API's own answer to the same operation, asked without the browser.
    const direct = await hub.anonymous(example.query);
    expect(body).toEqual(direct);
    expect(body.data.alliance.name).toBe('Iserlohner Bündnis für Familie');
    await expect.poll(() => editorText(page, '.result-window'), { timeout: 10_000 }).toContain('Iserlohner Bündnis für Familie');
    expect(await editorText(page, '.graphiql-query-editor')).toContain('alliance(id: "NW:alliance:iserlohn")');

    // A token entered in the panel goes into the headers editor and along with the next request.
    const token = await tokenFor('explorer-user', ['editor:SL']);
    await panel.locator('#hub-token').fill(token);
    await panel.getByRole('button', { name: 'Token setzen' }).click();
    const sent = page.waitForRequest((r) => r.url() === `${site}/graphql` && (r.postData() ?? '').includes('NetworkMembers'));
    await panel.locator('li[data-example="NetworkMembers"] button', { hasText: 'Öffnen und ausführen' }).click();
    expect((await sent).headers().authorization).toBe(`Bearer ${token}`);
    await expect.poll(() => editorText(page, '.result-window'), { timeout: 10_000 }).toContain('ARGE Netzwerk Familie Baden-Württemberg');

    mkdirSync('.artifacts', { recursive: true });
    await page.screenshot({ path: '.artifacts/explorer.png' });
    expect(requested.some((url) => url.endsWith('.worker.js'))).toBe(true);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('serves the page and its assets under a strict Content-Security-Policy', async () => {
    const site = origin(hub.gateway);
    const page = await fetch(`${site}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(EXPLORER_CSP);
    const html = await page.text();
    expect(html).toContain('GraphQL-Explorer des Bündnis-Hubs');
    expect(html).not.toMatch(/https?:\/\//);
    for (const [path, type] of [['/graphql/explorer/explorer.js', 'text/javascript'], ['/graphql/explorer/explorer.css', 'text/css'],
      ['/graphql/explorer/editor.worker.js', 'text/javascript'], ['/graphql/explorer/graphql.worker.js', 'text/javascript']]) {
      const asset = await fetch(`${site}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('content-type'), path).toContain(type);
      expect(asset.headers.get('content-security-policy'), path).toBe(EXPLORER_CSP);
    }
    // Scripts, workers and requests from this origin only; nothing evaluated, nothing inline but styles.
    const policy = Object.fromEntries(EXPLORER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    for (const directive of ['default-src', 'script-src', 'worker-src', 'connect-src']) expect(policy[directive], directive).toEqual(["'self'"]);
    expect(EXPLORER_CSP).not.toContain('unsafe-eval');
    expect(EXPLORER_CSP).not.toMatch(/https?:|\*/);
    expect((await fetch(`${site}/graphql/explorer/nothing.js`)).status).toBe(404);
    // GraphQL over GET and every POST still reach the API.
    const get = await fetch(`${site}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': '1' } });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('is off in production unless HUB_EXPLORER=on, and Apollo\'s CDN landing page never shows', async () => {
    const off = await fetch(`${origin(production)}/graphql`, { headers: { accept: 'text/html' } });
    expect(off.status).toBe(404);
    const body = await off.json();
    expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(body.errors[0].message).toContain('HUB_EXPLORER=on');
    expect((await fetch(`${origin(production)}/graphql/explorer/explorer.js`)).status).toBe(404);
    const post = await fetch(production.url, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ network(id: "SL:network:landesnetzwerk-saarland") { name } }' }) });
    expect((await post.json()).data.network.name).toBeTruthy();

    const on = await fetch(`${origin(productionWithExplorer)}/graphql`, { headers: { accept: 'text/html' } });
    expect(on.status).toBe(200);
    expect(await on.text()).toContain('GraphQL-Explorer des Bündnis-Hubs');
    for (const gateway of [hub.gateway, production, productionWithExplorer]) {
      const text = await (await fetch(`${origin(gateway)}/graphql`, { headers: { accept: 'text/html' } })).text();
      expect(text).not.toMatch(/apollo|embeddable-sandbox|cdn\./i);
    }
  });

  it('takes HUB_EXPLORER as on or off only, naming the setting', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--port', '0'], {
      env: { PATH: process.env.PATH, HUB_LOG_LEVEL: 'silent', HUB_EXPLORER: 'yes' }, encoding: 'utf8', timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('  - HUB_EXPLORER: must be on or off');
  });
});

describe('landing page at GET /', () => {
  /** The links the page offers, by path, and whether each is a link (or named as switched off). */
  async function links(site: string) {
    const response = await fetch(`${site}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
    const html = await response.text();
    return { html, entries: [...html.matchAll(/<li data-link="([^"]+)">(<a href|<span class="off")/g)].map((m) => [m[1], m[2] === '<a href']) };
  }

  it('links the explorer, dashboard, health and metrics, each answering as the page says', async () => {
    const site = origin(hub.gateway);
    const { entries, html } = await links(site);
    expect(entries).toEqual([['/graphql', true], ['/dashboard', true], ['/health/ready', true], ['/health/live', true], ['/metrics', true]]);
    // As a browser follows them; /metrics wants the scraper's token, as the page says.
    const expected: Record<string, number> = { '/graphql': 200, '/dashboard': 200, '/health/ready': 200, '/health/live': 200, '/metrics': 401 };
    for (const [path] of entries) {
      expect((await fetch(`${site}${path}`, { headers: { accept: 'text/html' } })).status, path as string).toBe(expected[path as string]);
    }
    expect((await fetch(`${site}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).status).toBe(200);
    // Every README section the page describes is a heading of README.md.
    const headings = readFileSync('README.md', 'utf8').split('\n').filter((line) => line.startsWith('## ')).map((line) => line.slice(3));
    for (const section of README_SECTIONS) {
      expect(headings, section.title).toContain(section.title);
      expect(html).toContain(section.title.replace(/'/g, '&#39;'));
    }
  });

  it('in production names the explorer and metrics as switched off', async () => {
    const { entries } = await links(origin(production));
    expect(entries).toEqual([['/graphql', false], ['/dashboard', true], ['/health/ready', true], ['/health/live', true], ['/metrics', false]]);
    expect((await fetch(`${origin(production)}/metrics`)).status).toBe(404);
  });

  it('shows in the dashboard\'s look without loading anything from elsewhere', async () => {
    const site = origin(hub.gateway);
    const { context, elsewhere, problems } = await offlineContext(site);
    const page = await context.newPage();
    await page.goto(`${site}/`);
    expect(await page.locator('h1').textContent()).toBe('Bündnis-Hub');
    // The dashboard's stylesheet applies: its accent colour on the header.
    expect(await page.locator('.page-header').evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(31, 95, 139)');
    mkdirSync('.artifacts', { recursive: true });
    await page.screenshot({ path: '.artifacts/landing.png', fullPage: true });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${site}/dashboard`);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('dashboard map', () => {
  it('draws the 16 states coloured by the chosen figure, matching the table', async () => {
    const site = origin(hub.gateway);
    const { context, elsewhere, problems } = await offlineContext(site);
    const page = await context.newPage();
    await page.goto(`${site}/dashboard`);
    await page.waitForSelector('main[aria-busy="false"][data-filter=""]', { timeout: 15_000 });
    await page.waitForSelector('#map[data-ready="true"]');
    const shapes = () => page.$$eval('#map-box path', (paths) => paths.map((p) => ({
      region: p.getAttribute('data-region')!, fill: p.getAttribute('fill')!, value: p.getAttribute('data-value')!,
      title: p.querySelector('title')?.textContent ?? '' })));
    /** The table's column for each state: 1 alliances, 2 projects, 3 networks. */
    const column = (n: number) => page.$$eval('#table-states tbody tr', (rows, i) => Object.fromEntries(rows.map((r) =>
      [r.getAttribute('data-region'), r.querySelectorAll('td')[i - 1]?.textContent])), n);

    let drawn = await shapes();
    expect(drawn.map((s) => s.region).sort()).toEqual(STATES);
    expect(await page.locator('#map-figure option').allTextContents()).toEqual(['Bündnisse', 'Projekte', 'Netzwerke']);

    await page.locator('#map-figure').selectOption('projects');
    await page.waitForSelector('#map[data-figure="projects"]');
    const byProjects = await shapes();
    const projects = await column(2);
    for (const shape of byProjects) expect(shape.value, shape.region).toBe(projects[shape.region]);
    // The demo data: BW has the most projects (darkest), Bremen none (the lightest, below the scale).
    expect(byProjects.find((s) => s.region === 'BW')).toMatchObject({ value: '7', fill: 'rgb(21,68,99)', title: 'Baden-Württemberg: 7 Projekte' });
    expect(byProjects.find((s) => s.region === 'HB')).toMatchObject({ value: '0', fill: '#f7f8fa' });

    await page.locator('#map-figure').selectOption('alliances');
    await page.waitForSelector('#map[data-figure="alliances"]');
    const byAlliances = await shapes();
    const alliances = await column(1);
    for (const shape of byAlliances) expect(shape.value, shape.region).toBe(alliances[shape.region]);
    expect(byAlliances.map((s) => s.fill)).not.toEqual(byProjects.map((s) => s.fill));
    const fillOf = (list: typeof drawn, region: string) => list.find((s) => s.region === region)!.fill;
    expect(new Set(STATES.filter((r) => fillOf(byAlliances, r) !== fillOf(byProjects, r))).size).toBeGreaterThan(0);

    await page.locator('#map-figure').selectOption('projects');
    await page.waitForSelector('#map[data-figure="projects"]');
    mkdirSync('.artifacts', { recursive: true });
    await page.locator('section[aria-labelledby="states-heading"]').screenshot({ path: '.artifacts/dashboard-map.png' });

    // Narrowed to Saarland, the other states are drawn as not chosen; the figure stays.
    await page.locator('#region-SL').check();
    await page.waitForSelector('main[aria-busy="false"][data-filter="regions=SL"]');
    drawn = await shapes();
    expect(await page.locator('#map-figure').inputValue()).toBe('projects');
    expect(drawn.filter((s) => s.fill !== '#c3c8cf').map((s) => s.region)).toEqual(['SL']);
    expect(drawn.find((s) => s.region === 'NW')!.title).toBe('Nordrhein-Westfalen: nicht gewählt');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
