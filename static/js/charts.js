// Referral Community: charts drawn from their own data tables (templates/macros/charts.html).
// Each <figure class="chart" data-chart="line|bar"> holds a <canvas> and a <table>: the table's
// header names the series, each body row is one label followed by one cell per series, its number
// in data-value. The table is the single source of the numbers and stays in the page.
(function () {
  "use strict";

  const SELECTOR = "figure.chart[data-chart]";
  const KINDS = ["line", "bar"];
  const PALETTE_SIZE = 6; // --chart-1 … --chart-6 in static/css/app.css
  // Series differ by more than colour: their points and (for lines) their dashes too.
  const POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
  const DASHES = [[], [6, 4], [2, 3], [10, 4, 2, 4]];

  function reducedMotion() {
    return !!window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // Colours come from CSS variables (Bootstrap's, through app.css), read where the chart sits:
  // a figure under data-bs-theme="dark" gets the dark mode's colours.
  function cssVar(element, name, fallback) {
    return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
  }

  function readTable(table) {
    const names = Array.from(table.tHead.rows[0].cells).slice(1).map((cell) => cell.textContent.trim());
    const labels = [];
    const values = names.map(() => []);
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        labels.push(row.cells[0].textContent.trim());
        names.forEach((name, index) => {
          const cell = row.cells[index + 1];
          const raw = cell ? cell.dataset.value : "";
          const number = raw === undefined || raw === "" ? NaN : Number(raw);
          values[index].push(Number.isFinite(number) ? number : null); // null: a gap
        });
      });
    });
    return { labels: labels, series: names.map((name, index) => ({ name: name, values: values[index] })) };
  }

  function options(figure, datasets, integers) {
    const text = cssVar(figure, "--chart-text", "#212529");
    const grid = cssVar(figure, "--chart-grid", "rgba(0, 0, 0, .175)");
    const yTicks = { color: text };
    if (integers) yTicks.precision = 0; // counts: no 0.5 referrals on the axis
    const result = {
      responsive: true,
      maintainAspectRatio: false, // the frame (.chart-frame) gives the height
      color: text,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: datasets.length > 1, labels: { color: text, usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
      },
      scales: {
        x: { ticks: { color: text }, grid: { color: grid } },
        y: { beginAtZero: true, ticks: yTicks, grid: { color: grid } },
      },
    };
    const lang = document.documentElement.lang;
    if (lang) result.locale = lang; // numbers in tooltips and ticks in the page's language
    if (reducedMotion()) result.animation = false;
    return result;
  }

  function draw(figure) {
    const Chart = window.Chart;
    const canvas = figure.querySelector("canvas");
    const table = figure.querySelector("table");
    // Idempotent: a canvas that already has its chart keeps it.
    if (!canvas || !table || !table.tHead || !table.tHead.rows.length || Chart.getChart(canvas)) return;
    const kind = KINDS.includes(figure.dataset.chart) ? figure.dataset.chart : "line";
    const data = readTable(table);
    const integers = data.series.every((series) => series.values.every((value) => value === null || Number.isInteger(value)));
    const datasets = data.series.map((series, index) => {
      const colour = cssVar(figure, "--chart-" + ((index % PALETTE_SIZE) + 1), "#3b5bdb");
      const dataset = {
        label: series.name,
        data: series.values,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
        pointStyle: POINT_STYLES[index % POINT_STYLES.length],
      };
      if (kind === "line") {
        dataset.borderDash = DASHES[index % DASHES.length];
        dataset.pointRadius = data.labels.length > 40 ? 0 : 3;
      }
      return dataset;
    });
    new Chart(canvas, { type: kind, data: { labels: data.labels, datasets: datasets }, options: options(figure, datasets, integers) });
    figure.classList.add("is-drawn");
  }

  function drawAll(root) {
    if (!window.Chart) return;
    const scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(SELECTOR)) draw(scope);
    scope.querySelectorAll(SELECTOR).forEach(draw);
  }

  function charts() {
    return window.Chart ? Object.values(window.Chart.instances) : [];
  }

  // A chart whose canvas left the page (htmx swapped it out) is destroyed, not leaked.
  function forgetRemoved() {
    charts().forEach((chart) => {
      if (!chart.canvas || !chart.canvas.isConnected) chart.destroy();
    });
  }

  function start() {
    if (window.Chart) {
      window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    }
    drawAll(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  if (window.htmx) window.htmx.onLoad(drawAll); // content htmx swaps in
  document.addEventListener("htmx:afterSettle", function () {
    forgetRemoved();
    drawAll(document);
  });

  // Printing: the data tables print open beside their charts, and each chart is redrawn at the
  // paper's width (the CSS under "Charts" in app.css sizes the frame), then back after.
  let openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(SELECTOR + " details.chart-data:not([open])").forEach((details) => {
      details.open = true;
      openedForPrint.push(details);
    });
    charts().forEach((chart) => chart.resize());
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach((details) => { details.open = false; });
    openedForPrint = [];
    charts().forEach((chart) => chart.resize());
  });
})();
