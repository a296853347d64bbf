/**
 * The script a report page runs: it creates one chart.js chart per spec. The
 * only logic here is what JSON cannot carry — the heatmap's cell size and its
 * tooltip — and marking the page ready (data-charts-ready) once drawn.
 */
import type { ChartSpec } from "./charts.ts"
import { scriptJson } from "./format.ts"

/**
 * The drawing as a function of the specs, without data: a page that fetches
 * its specs (the live dashboard) runs the same code, and its text is constant,
 * so a content policy can allow it by hash. Answers the charts drawn.
 */
export const drawChartsFunction = `function (specs) {
  "use strict";
  if (typeof Chart === "undefined") { document.body.setAttribute("data-charts-error", "chart.js missing"); return []; }
  Chart.defaults.font.family = "system-ui, sans-serif";
  var cell = function (ctx) {
    var area = ctx.chart.chartArea;
    if (!area) return 6;
    // a "rect" point of radius r is a square of side r·√2
    return Math.max(2, (Math.min(area.width / 24, area.height / 7) - 2) / Math.SQRT2);
  };
  var charts = [];
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) return;
    var config = spec.config;
    if (spec.kind === "heatmap") {
      config.data.datasets.forEach(function (d) { d.pointRadius = cell; d.pointHoverRadius = cell; });
      config.options.plugins.tooltip = { callbacks: { label: function (item) {
        var p = item.raw; return p.y + " " + p.x + ":00  " + p.v + " uses";
      } } };
    }
    charts.push(new Chart(canvas, config));
  });
  document.body.setAttribute("data-charts-ready", String(specs.length));
  return charts;
}`

export const chartScript = (specs: ReadonlyArray<ChartSpec>): string => `
(${drawChartsFunction})(${scriptJson(specs)});
`
