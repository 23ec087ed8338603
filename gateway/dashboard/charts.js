// Figures: a Chart.js chart and the same numbers as a table. Chart.js is the global `Chart`
// from /dashboard/chart.umd.js; without it the tables still show every number.
import { element, format } from './dom.js';

const TEXT = '#1a1a1a';
const BAR = '#1f5f8b';
const SLICES = ['#1f5f8b', '#2e7d32', '#9a4d00', '#6b6b6b'];
const charts = new Map();
const available = () => typeof Chart === 'function';

/** Writes each bar's exact count next to it, so the picture can be checked without the table. */
const countLabels = {
  id: 'countLabels',
  afterDatasetsDraw(chart) {
    if (chart.config.type !== 'bar') return;
    const horizontal = chart.options.indexAxis === 'y';
    const { ctx } = chart;
    ctx.save();
    ctx.fillStyle = TEXT;
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textAlign = horizontal ? 'left' : 'center';
    ctx.textBaseline = horizontal ? 'middle' : 'bottom';
    chart.getDatasetMeta(0).data.forEach((bar, index) => {
      const text = format.format(chart.data.datasets[0].data[index]);
      if (horizontal) ctx.fillText(text, bar.x + 6, bar.y);
      else ctx.fillText(text, bar.x, bar.y - 4);
    });
    ctx.restore();
  },
};

/** Sets Chart.js up once; false when the library did not load. */
export function setupCharts() {
  if (!available()) return false;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.color = TEXT;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.register(countLabels);
  return true;
}

/** Long category names on several lines, so the axis does not cut them off. */
function wrap(text, width = 26) {
  const lines = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && !lines[last].endsWith('-') && lines[last].length + word.length < width) lines[last] += ` ${word}`;
    // Long compounds such as "Mecklenburg-Vorpommern" break after the hyphen.
    else lines.push(...(word.length > 17 ? word.split(/(?<=-)/) : [word]));
  }
  return lines;
}

function chartConfig(kind, rows) {
  const data = rows.map((row) => row.count);
  if (kind === 'doughnut') {
    return {
      type: 'doughnut',
      data: { labels: rows.map((row) => `${row.label}: ${format.format(row.count)}`),
        datasets: [{ data, backgroundColor: SLICES, borderColor: '#fff', borderWidth: 2 }] },
      options: { plugins: { legend: { position: 'bottom', labels: { color: TEXT, font: { size: 13 } } } } },
    };
  }
  const horizontal = kind === 'bar-horizontal';
  const integerTicks = { precision: 0, color: TEXT };
  return {
    type: 'bar',
    data: { labels: rows.map((row) => wrap(row.label)), datasets: [{ data, backgroundColor: BAR, maxBarThickness: 28 }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      layout: { padding: horizontal ? { right: 36 } : { top: 22 } },
      plugins: { legend: { display: false } },
      scales: {
        x: horizontal ? { beginAtZero: true, ticks: integerTicks } : { ticks: { color: TEXT } },
        y: horizontal ? { ticks: { color: TEXT, autoSkip: false } } : { beginAtZero: true, ticks: integerTicks },
      },
    },
  };
}

function chartHeight(kind, rows) {
  if (kind !== 'bar-horizontal') return 260;
  return Math.max(120, rows.reduce((height, row) => height + 12 + 14 * wrap(row.label).length, 40));
}

/**
 * Fills a figure from rows of `{ label, count }`: the chart (a picture for sighted readers) and a
 * table with the same numbers under `columns` headings.
 */
export function renderFigure(id, rows, columns) {
  const figure = document.getElementById(id);
  const kind = figure.dataset.kind;
  let box = figure.querySelector('.chart-box');
  if (!box) {
    box = element('div', { class: 'chart-box' });
    figure.append(box, element('div', { class: 'table-wrap' }));
  }
  const caption = figure.querySelector('figcaption').firstChild.textContent.trim();
  charts.get(id)?.destroy();
  charts.delete(id);
  box.replaceChildren();
  const table = figure.querySelector('.table-wrap');
  if (!rows.length) {
    box.style.height = 'auto';
    box.append(element('p', { class: 'empty', text: 'Keine Daten für diese Auswahl.' }));
    table.replaceChildren();
    return;
  }
  if (available()) {
    box.style.height = `${chartHeight(kind, rows)}px`;
    const canvas = element('canvas', { role: 'img', 'aria-label': `${caption}: Diagramm, die Zahlen stehen in der Tabelle daneben.` });
    box.append(canvas);
    charts.set(id, new Chart(canvas, chartConfig(kind, rows)));
  }
  table.replaceChildren(element('table', { class: 'data compact' },
    element('caption', { class: 'visually-hidden', text: `${caption} (Zahlen)` }),
    element('thead', {}, element('tr', {}, element('th', { scope: 'col', text: columns[0] }),
      element('th', { scope: 'col', class: 'num', text: columns[1] }))),
    element('tbody', {}, ...rows.map((row) => element('tr', {},
      element('th', { scope: 'row', text: row.label }), element('td', { class: 'num', text: format.format(row.count) }))))));
}
