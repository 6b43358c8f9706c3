import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { accuracyHeatmapFigure, capacityFigure, renderReport, tableToHTML, tableToText } from '../../src/viz/index';
import { maskReuse, resultsTable, runMetricRows, summarizeResults } from '../../src/metrics/index';

const count = (text: string, needle: string): number => text.split(needle).length - 1;

test('tables render to HTML with number formatting, escaping and a "more rows" note', () => {
  const t = aq.table({ name: ['a<b', 'c', 'd'], value: [1.23456, 2, null] });
  const html = tableToHTML(t, { limit: 2, digits: 3 });
  assert.match(html, /^<div class="ticketlab-table"><table>/);
  assert.ok(html.includes('>1.235</td>'));
  assert.ok(html.includes('>2</td>'));
  assert.ok(html.includes('a&lt;b'));
  assert.ok(!html.includes('>d</td>'));
  assert.ok(html.endsWith('<p class="ticketlab-more">… 1 more row</p></div>'));
  assert.ok(!tableToHTML(t).includes('more row'));
  assert.ok(tableToHTML(t, { columns: ['value'] }).includes('<th'));
  assert.throws(() => tableToHTML(t, { columns: ['nope'] }), /unknown column\(s\) nope/);
  assert.throws(() => tableToHTML(t, { limit: -1 }), /limit/);
});

test('tables render to aligned plain text with a "more rows" line', () => {
  const t = aq.table({ name: ['a', 'bb', 'c', 'd'], value: [1.5, 10.25, null, 3] });
  assert.equal(tableToText(t, { limit: 3, digits: { value: 1 } }), 'name  value\n----  -----\na       1.5\nbb     10.3\nc\n… 1 more row');
  assert.equal(tableToText(t, { limit: 0 }), 'name  value\n----  -----\n… 4 more rows');
});

test('the report embeds plotly.js exactly once, one div and newPlot call per figure, and the tables', () => {
  const matrix = [[90], [85, 94]];
  const heat = accuracyHeatmapFigure(matrix);
  const cap = capacityFigure(maskReuse([{ a: Uint8Array.of(1, 0) }, { a: Uint8Array.of(0, 1) }]));
  const summary = summarizeResults(resultsTable(runMetricRows(matrix, { run: 'r', seed: 0, method: 'wsn', benchmark: 'pmnist' })));
  const html = renderReport({
    title: 'WSN <test> report',
    sections: [
      { heading: 'Summary', text: 'First paragraph.\n\nSecond & last.', table: summary },
      { heading: 'Accuracy matrix', figure: heat },
      { heading: 'Capacity', figure: cap },
    ],
  });
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.equal(count(html, 'window.Plotly = Plotly'), 1);
  assert.equal(count(html, '* plotly.js v'), 1);
  assert.equal(count(html, '<script id="ticketlab-plotly-js">'), 1);
  assert.ok(!/<script[^>]*src=/.test(html), 'no external scripts (no CDN)');
  const body = html.slice(html.indexOf('<body>'));
  assert.equal(count(body, 'Plotly.newPlot('), 2);
  for (const [i, fig] of [heat, cap].entries()) {
    assert.ok(html.includes(`<div id="ticketlab-figure-${i}" class="ticketlab-figure"></div>`));
    const call = `Plotly.newPlot("ticketlab-figure-${i}", ${JSON.stringify(fig.data).replace(/</g, '\\u003c')}, ` +
      `${JSON.stringify(fig.layout).replace(/</g, '\\u003c')}, {"responsive": true});`;
    assert.ok(html.includes(call), `newPlot call of figure ${i}`);
  }
  assert.ok(html.includes('<title>WSN &lt;test&gt; report</title>'));
  assert.ok(html.includes('<p>First paragraph.</p>\n<p>Second &amp; last.</p>'));
  assert.ok(html.includes('<div class="ticketlab-table"><table>'));
  assert.ok(html.includes('>89.50</td>')); // ACC = (85 + 94) / 2, digits 2
  assert.ok(html.includes('<h2>Capacity</h2>'));
});

test('figure JSON cannot close the script element early', () => {
  const fig = accuracyHeatmapFigure([[90]], { title: '</script><b>x</b>' });
  const html = renderReport({ title: 't', sections: [{ heading: 'h', figure: fig }] });
  const afterPlotly = html.slice(html.indexOf('<body>'));
  assert.equal(count(afterPlotly, '</script>'), 1);
  assert.ok(afterPlotly.includes('\\u003c/script>\\u003cb>x\\u003c/b>'));
});

test('malformed reports are rejected', () => {
  assert.throws(() => renderReport({ title: 't', sections: [{ heading: 'h', figure: { data: 1 } as never }] }), /must be a Plotly figure/);
  assert.throws(() => renderReport({ title: 't' } as never), /expected \{ title: string, sections/);
  assert.throws(() => renderReport({ title: 't', sections: [{} as never] }), /sections\[0\] needs a heading/);
});

test('markdown sections render as HTML: emphasis, links and GitHub tables', () => {
  const html = renderReport({
    title: 'md',
    sections: [{ heading: 'Prose', markdown: '**Paper.** See [WSN](https://arxiv.org/abs/2202.12515).\n\n| c | ACC |\n|---|---|\n| 0.1 | 72.7 |' }],
  });
  assert.match(html, /<strong>Paper\.<\/strong>/);
  assert.match(html, /<a href="https:\/\/arxiv\.org\/abs\/2202\.12515">WSN<\/a>/);
  assert.match(html, /<table>[\s\S]*<th>c<\/th>[\s\S]*<td>72\.7<\/td>[\s\S]*<\/table>/);
  assert.throws(() => renderReport({ title: 't', sections: [{ heading: 'x', markdown: 3 as never }] }), /sections\[0\]\.markdown must be a string; got 3/);
});
