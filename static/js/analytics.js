// Referral Community: the analytics dashboard's charts (templates/analytics/).
// Each <figure class="analytics-chart"> holds a <canvas> and a <script type="application/json">
// with the chart's data (community/analytics/charts.py, Chart.as_json): labels, series, the
// unit ("percent", "days" or a count) and the page's locale. The same numbers are in the
// figure's data table (a <table> in a <details>) for screen readers, keyboards and print.
// After htmx swaps the content (the filter bar), the charts that left the page are destroyed
// and the new ones drawn: a canvas never holds two charts.
(function () {
  "use strict";

  const SELECTOR = "figure.analytics-chart";
  const PALETTE = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];
  const DASHES = [[], [6, 4], [2, 3], [10, 4, 2, 4]];

  function cssVar(element, name, fallback) {
    return getComputedStyle(element).getPropertyValue(name).trim() || fallback;
  }

  function reducedMotion() {
    return !!window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function readSpec(figure) {
    const node = figure.querySelector("script[type='application/json']");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (error) {
      return null; // a broken spec draws nothing; the table is still there
    }
  }

  function formatter(spec) {
    const locale = spec.locale || document.documentElement.lang || undefined;
    if (spec.unit === "percent") {
      const percent = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
      return (value) => percent.format(value) + "%";
    }
    const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
    return (value) => plain.format(value);
  }

  function datasets(figure, spec) {
    return spec.series.map((series, index) => {
      const colour = cssVar(figure, PALETTE[index % PALETTE.length], "#3b5bdb");
      const line = series.kind === "line" || (spec.kind === "line" && !series.kind);
      const dataset = {
        label: series.label,
        data: series.values,
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 2,
      };
      if (series.kind) dataset.type = series.kind;
      if (line) {
        dataset.borderDash = DASHES[index % DASHES.length];
        dataset.pointRadius = spec.labels.length > 40 ? 0 : 3;
        dataset.fill = false;
      }
      return dataset;
    });
  }

  function options(figure, spec) {
    const text = cssVar(figure, "--chart-text", "#212529");
    const grid = cssVar(figure, "--chart-grid", "rgba(0, 0, 0, .175)");
    const format = formatter(spec);
    const valueAxis = {
      beginAtZero: true,
      stacked: !!spec.stacked,
      ticks: { color: text, callback: (value) => format(value) },
      grid: { color: grid },
    };
    if (spec.unit === "percent") valueAxis.suggestedMax = 100;
    else if (spec.unit !== "days") valueAxis.ticks.precision = 0; // no half referrals
    const labelAxis = { stacked: !!spec.stacked, ticks: { color: text }, grid: { color: grid } };
    const result = {
      responsive: true,
      maintainAspectRatio: false, // the frame (.chart-frame) gives the height
      indexAxis: spec.horizontal ? "y" : "x",
      locale: spec.locale || undefined,
      color: text,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => item.dataset.label + ": " + (item.raw === null ? "–" : format(item.raw)),
          },
        },
      },
      scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
    };
    if (reducedMotion()) result.animation = false;
    return result;
  }

  function draw(figure) {
    const Chart = window.Chart;
    const canvas = figure.querySelector("canvas");
    if (!Chart || !canvas) return;
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy(); // drawn again from the spec, never twice on one canvas
    const spec = readSpec(figure);
    if (!spec || !spec.labels || !spec.labels.length) return;
    new Chart(canvas, {
      type: spec.kind === "line" ? "line" : "bar",
      data: { labels: spec.labels, datasets: datasets(figure, spec) },
      options: options(figure, spec),
    });
    figure.classList.add("is-drawn");
  }

  // A chart whose canvas left the page (htmx swapped it out) is destroyed, not leaked.
  function forgetRemoved() {
    if (!window.Chart) return;
    Object.values(window.Chart.instances).forEach((chart) => {
      if (!chart.canvas || !chart.canvas.isConnected) chart.destroy();
    });
  }

  function drawAll(root) {
    const scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll(SELECTOR).forEach(draw);
  }

  function start() {
    if (window.Chart) window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    drawAll(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  document.addEventListener("htmx:beforeSwap", function (event) {
    // The old charts go before their canvases do.
    const target = event.detail.target;
    if (window.Chart && target && target.querySelectorAll) {
      target.querySelectorAll(SELECTOR + " canvas").forEach((canvas) => {
        const chart = window.Chart.getChart(canvas);
        if (chart) chart.destroy();
      });
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    forgetRemoved();
    drawAll(event.detail && event.detail.elt ? event.detail.elt : document);
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });

  // Printing: the data tables open beside their charts, each chart redrawn at the paper's width.
  let openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(SELECTOR + " details:not([open])").forEach((details) => {
      details.open = true;
      openedForPrint.push(details);
    });
    if (window.Chart) Object.values(window.Chart.instances).forEach((chart) => chart.resize());
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach((details) => { details.open = false; });
    openedForPrint = [];
    if (window.Chart) Object.values(window.Chart.instances).forEach((chart) => chart.resize());
  });
})();
