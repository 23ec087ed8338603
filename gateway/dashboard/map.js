// The map of the 16 states, coloured by one figure of the states table. The shapes are the
// amCharts 5 geodata's germanyLow.json (npm @amcharts/amcharts5-geodata), served by the gateway
// as /dashboard/germany.json; they are drawn as SVG here, so nothing loads from elsewhere.
import { $, element, format } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
/** Colours from few to many (the dashboard's accent); none is near-white, states outside the filter grey. */
const LOW = [222, 233, 243];
const HIGH = [21, 68, 99];
const ZERO = '#f7f8fa';
const UNSELECTED = '#c3c8cf';
const BORDER = '#6b7685';

let shapes;
let latest;

const svgElement = (tag, attributes = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
};

/** A plain equirectangular projection, its x shrunk by the cosine of Germany's middle latitude. */
function project(features) {
  const points = features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat(1).flat(1));
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const squeeze = Math.cos(((south + north) / 2) * (Math.PI / 180));
  const scale = WIDTH / ((east - west) * squeeze);
  const height = Math.ceil((north - south) * scale);
  const point = ([lon, lat]) => `${((lon - west) * squeeze * scale).toFixed(1)},${((north - lat) * scale).toFixed(1)}`;
  const ring = (coordinates) => `M${coordinates.map(point).join('L')}Z`;
  const paths = new Map(features.map((f) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return [f.id.replace(/^DE-/, ''), polygons.flat(1).map(ring).join('')];
  }));
  return { paths, height };
}

function colour(value, max) {
  if (!value) return ZERO;
  // The square root keeps small counts visible beside one large one.
  const share = Math.sqrt(value / max);
  const mix = LOW.map((low, i) => Math.round(low + (HIGH[i] - low) * share));
  return `rgb(${mix.join(',')})`;
}

/** Loads the shapes and draws the empty map into `#map`; false when the shapes did not load. */
export async function setupMap() {
  const figure = $('#map');
  try {
    const response = await fetch('/dashboard/germany.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const { features } = await response.json();
    shapes = project(features);
  } catch (error) {
    $('#map-box').replaceChildren(element('p', { class: 'empty', text: `Die Karte konnte nicht geladen werden (${error.message}); die Zahlen stehen in der Tabelle.` }));
    return false;
  }
  const svg = svgElement('svg', { viewBox: `0 0 ${WIDTH} ${shapes.height}`, role: 'img', 'aria-labelledby': 'map-caption' });
  for (const [code, d] of shapes.paths) {
    const path = svgElement('path', { d, 'data-region': code, fill: UNSELECTED, stroke: BORDER, 'stroke-width': '0.75' });
    path.append(svgElement('title'));
    svg.append(path);
  }
  $('#map-box').replaceChildren(svg);
  $('#map-figure').addEventListener('change', () => draw());
  figure.dataset.ready = 'true';
  draw();
  return true;
}

/**
 * Shows `figures` (each `{ key, label, counts: Map<region, number> | null }`) for the states in
 * `regions`; the select above the map picks which one colours it.
 */
export function showMap(regions, figures, labels) {
  latest = { regions, figures, labels };
  const select = $('#map-figure');
  const chosen = select.value;
  select.replaceChildren(...figures.map((f) => element('option', { value: f.key, text: f.label })));
  if (figures.some((f) => f.key === chosen)) select.value = chosen;
  draw();
}

/** Without data the map shows nothing stale. */
export function clearMap() {
  latest = undefined;
  draw();
}

function draw() {
  if (!shapes) return;
  const figure = latest?.figures.find((f) => f.key === $('#map-figure').value) ?? latest?.figures[0];
  const counts = figure?.counts;
  const chosen = new Set(latest?.regions ?? []);
  const max = Math.max(1, ...[...shapes.paths.keys()].filter((code) => chosen.has(code)).map((code) => counts?.get(code) ?? 0));
  for (const path of document.querySelectorAll('#map-box path')) {
    const code = path.dataset.region;
    const name = latest?.labels[code] ?? code;
    const value = counts?.get(code) ?? 0;
    const shown = counts && chosen.has(code);
    path.setAttribute('fill', shown ? colour(value, max) : UNSELECTED);
    path.dataset.value = shown ? String(value) : '';
    path.querySelector('title').textContent = shown ? `${name}: ${format.format(value)} ${figure.label}` : `${name}: nicht gewählt`;
  }
  $('#map').dataset.figure = figure?.key ?? '';
  $('#map-legend-low').textContent = counts ? '0' : '';
  $('#map-legend-high').textContent = counts ? `${format.format(max)} ${figure.label}` : '';
  const federal = counts && chosen.has('DE') ? counts.get('DE') ?? 0 : null;
  $('#map-federal').textContent = federal === null ? '' : `Bundesebene (ohne Land): ${format.format(federal)} ${figure.label}`;
}
