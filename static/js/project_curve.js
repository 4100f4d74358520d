// A key project's investment curve (templates/projects/projects/project_detail.html): planned
// against completed, cumulative by month of the plan year. The data comes from the json_script
// block "project-curve-data" (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var source = document.getElementById("project-curve-data");
  var target = document.querySelector("[data-chart='investment']");
  if (!source || !target || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(target, null, { renderer: "svg" });
  var planned = target.getAttribute("data-planned-label") || "计划";
  var completed = target.getAttribute("data-completed-label") || "完成";
  chart.setOption({
    color: ["#6e7781", "#a4161a"],
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
    yAxis: { type: "value" },
    series: [
      { name: planned, type: "line", data: data.planned, lineStyle: { type: "dashed" } },
      { name: completed, type: "line", data: data.completed, connectNulls: false },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
