// The leadership dashboard's charts (templates/supervision/dashboard/dashboard.html): the data
// comes from the json_script block "dashboard-data" (no inline scripts: the CSP forbids them);
// each <div data-chart="key"> is drawn with ECharts' SVG renderer, which prints sharply. Every
// chart's numbers are also in the table of the <details> next to it, opened for printing.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var wall = document.body.classList.contains("dashboard-wall");
  var palette = ["#a4161a", "#1f6feb", "#e3a008", "#2da44e", "#8250df", "#6e7781", "#bf3989", "#0a7ea4", "#fb8500", "#4d5bce", "#9a6700"];
  var textColor = wall ? "#e6edf3" : "#212529";

  function axisChart(spec) {
    var percent = spec.unit === "%";
    return {
      color: palette,
      textStyle: { fontSize: wall ? 16 : 12, color: textColor },
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: textColor } },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.labels, axisLabel: { color: textColor, hideOverlap: true } },
      yAxis: {
        type: "value",
        axisLabel: { color: textColor, formatter: percent ? "{value}%" : "{value}" },
      },
      series: spec.series.map(function (serie) {
        return {
          name: serie.name,
          type: spec.kind === "bar" ? "bar" : "line",
          data: serie.data,
          connectNulls: false,
          label: { show: spec.labels.length <= 8, position: "top", color: textColor },
        };
      }),
    };
  }

  function pieChart(spec) {
    return {
      color: palette,
      textStyle: { fontSize: wall ? 16 : 12, color: textColor },
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      series: [
        {
          type: "pie",
          radius: ["35%", "70%"],
          data: spec.pie,
          label: { color: textColor, formatter: "{b} {c}" },
        },
      ],
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var spec = data[element.getAttribute("data-chart")];
    if (!spec) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(spec.pie ? pieChart(spec) : axisChart(spec));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
  // Printing: open every data table, so the paper carries the numbers.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-data").forEach(function (details) {
      details.open = true;
    });
  });
})();
