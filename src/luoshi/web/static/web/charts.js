// The dashboard's trend chart: monthly 落实率 with the plan's yearly targets as points.
(function () {
  var source = document.getElementById("trend-data");
  var box = document.getElementById("trend");
  if (!source || !box || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    grid: { left: 40, right: 16, top: 24, bottom: 30 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    xAxis: { type: "time" },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "落实率", type: "line", showSymbol: false, data: data.trend, areaStyle: { opacity: 0.12 } },
      { name: "目标", type: "scatter", symbolSize: 12, itemStyle: { color: "#c62828" }, data: data.targets }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
