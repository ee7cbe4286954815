// Pictures for the pages, drawn with Apache ECharts (served from /static/vendor/echarts).
// Each picture is a <figure> holding: a hidden canvas element marked data-chart, its data
// as JSON in <script type="application/json" class="chart-data"> (parsed, never
// evaluated or inserted as markup) and the same facts as a table or list for readers
// without JavaScript.  Labels are drawn as text; tooltips use ECharts' rich-text mode,
// not HTML, so a hostile label cannot become markup.
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  function read(figure) {
    var script = figure.querySelector("script.chart-data");
    try { return JSON.parse(script.textContent); } catch (e) { return null; }
  }
  function go(params) {
    var href = params && params.data && params.data.href;
    if (href && href.charAt(0) === "/") window.location.assign(href);
  }
  var common = {
    aria: { enabled: true },
    tooltip: { renderMode: "richText", confine: true },
    animation: false,
    textStyle: { fontFamily: "system-ui, 'Noto Sans CJK SC', sans-serif" }
  };
  function merge(option) {
    var out = {};
    Object.keys(common).forEach(function (k) { out[k] = common[k]; });
    Object.keys(option).forEach(function (k) { out[k] = option[k]; });
    return out;
  }

  var builders = {
    timeline: function (data) {
      return {
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        tooltip: { trigger: "axis", renderMode: "richText", confine: true },
        xAxis: { type: "category", data: data.years },
        yAxis: { type: "value", minInterval: 1 },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "level", data: s.data, barMaxWidth: 56 };
        })
      };
    },
    ranked: function (data) {
      return {
        grid: { left: 200, right: 24, top: 8, bottom: 24 },
        tooltip: { trigger: "axis", renderMode: "richText", confine: true },
        xAxis: { type: "value", minInterval: 1, name: data.label },
        yAxis: { type: "category", data: data.names.slice().reverse(),
                 axisLabel: { width: 180, overflow: "truncate" } },
        series: [{ type: "bar", data: data.values.slice().reverse(), barMaxWidth: 22 }]
      };
    },
    tree: function (data) {
      return {
        series: [{
          type: "tree", data: [data], top: 16, bottom: 16, left: 170, right: 210,
          initialTreeDepth: -1, symbolSize: 9, expandAndCollapse: false,
          label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 12,
                   width: 150, overflow: "truncate" },
          leaves: { label: { position: "right", align: "left", width: 200, overflow: "truncate" } },
          itemStyle: { color: "#7a1f1f" }
        }]
      };
    },
    graph: function (data) {
      return {
        legend: { top: 0, data: data.categories.map(function (c) { return c.name; }) },
        series: [{
          type: "graph", layout: "force", roam: true, draggable: true, top: 48, bottom: 16,
          categories: data.categories, data: data.nodes, links: data.links,
          force: { repulsion: 260, edgeLength: [60, 140], gravity: 0.12 },
          label: { show: true, position: "right", fontSize: 11, width: 150, overflow: "truncate" },
          labelLayout: { hideOverlap: true },
          emphasis: { focus: "adjacency", label: { show: true } },
          lineStyle: { color: "source", opacity: 0.6 }
        }]
      };
    },
    heatmap: function (data) {
      var max = 1;
      data.cells.forEach(function (c) { if (c[2] > max) max = c[2]; });
      return {
        grid: { left: 180, right: 16, top: 8, bottom: 120 },
        xAxis: { type: "category", data: data.columns, axisLabel: { rotate: 50, fontSize: 11 } },
        yAxis: { type: "category", data: data.rows, axisLabel: { fontSize: 11 } },
        visualMap: { min: 0, max: max, orient: "horizontal", left: "center", bottom: 0,
                     calculable: false, inRange: { color: ["#fbeaea", "#7a1f1f"] } },
        series: [{ type: "heatmap", data: data.cells, label: { show: true } }]
      };
    }
  };

  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var canvas = figure.querySelector("[data-chart]");
    var build = builders[canvas.getAttribute("data-chart")];
    var data = read(figure);
    if (!build || !data) return;
    // A sideways tree of long names does not fit a phone: the list below it says the same.
    if (canvas.getAttribute("data-chart") === "tree" && figure.clientWidth < 560) return;
    canvas.hidden = false;
    var chart = echarts.init(canvas, null, { renderer: "svg" });
    chart.setOption(merge(build(data)));
    chart.on("click", go);
    window.addEventListener("resize", function () { chart.resize(); });
    figure.classList.add("drawn");
  });
})();
