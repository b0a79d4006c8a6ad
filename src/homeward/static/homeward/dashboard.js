/* The dashboard's charts, drawn with the vendored Chart.js from the JSON the page carries
   (<script type="application/json" id="dashboard-charts">, written by reporting/dashboard.py).
   Each <canvas class="dashboard-chart" data-chart="NAME"> gets the chart NAME. A count suppressed
   for a viewer ("<5") arrives as null and is not drawn; the table under each chart has every number. */
(function () {
  "use strict";

  function formatter(money) {
    var lang = document.documentElement.lang || undefined;
    var options = money ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumFractionDigits: 0 };
    try {
      return new Intl.NumberFormat(lang, options);
    } catch (e) {
      return new Intl.NumberFormat(undefined, options);
    }
  }

  function config(spec) {
    var horizontal = !!spec.horizontal;
    var numbers = formatter(!!spec.money);
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        precision: spec.money ? undefined : 0,
        callback: function (value) { return numbers.format(value); }
      }
    };
    var scales = horizontal ? { x: valueAxis } : { y: valueAxis };
    return {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        responsive: true,
        aspectRatio: horizontal ? 1.4 : 2,
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (item) {
                var value = horizontal ? item.parsed.x : item.parsed.y;
                return item.dataset.label + ": " + numbers.format(value);
              }
            }
          }
        }
      }
    };
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.Chart === "undefined") {
      return; // without Chart.js the tables are still there
    }
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas.dashboard-chart").forEach(function (canvas) {
      var spec = specs[canvas.dataset.chart];
      if (!spec) {
        return;
      }
      new window.Chart(canvas, config(spec));
      canvas.dataset.drawn = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
