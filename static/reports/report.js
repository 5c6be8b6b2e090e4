/* Draws the report's charts with frappe-charts from the JSON block #report-charts (no inline script: CSP). */
(function () {
  "use strict";
  var COLORS = ["#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#e67e22", "#c0392b", "#8e44ad", "#7f8c8d"];

  function formatNumber(value) {
    return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function draw() {
    var block = document.getElementById("report-charts");
    if (!block || typeof frappe === "undefined") {
      return;
    }
    var charts = JSON.parse(block.textContent);
    charts.forEach(function (spec) {
      var target = document.querySelector('[data-chart="' + spec.key + '"]');
      if (!target) {
        return;
      }
      var many = spec.labels.length > 12;
      new frappe.Chart(target, {
        data: { labels: spec.labels, datasets: spec.datasets },
        type: spec.type === "pie" ? "percentage" : "bar",
        height: spec.type === "pie" ? 180 : 260,
        colors: spec.type === "pie" ? COLORS : [COLORS[0]],
        animate: 0,
        truncateLegends: 0,
        valuesOverPoints: many ? 0 : 1,
        axisOptions: { xAxisMode: "tick", xIsSeries: 0 },
        tooltipOptions: { formatTooltipY: formatNumber },
        barOptions: { spaceRatio: 0.4 }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
