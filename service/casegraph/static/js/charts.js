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
    if (href && (href.charAt(0) === "/" || href.charAt(0) === "#")) window.location.assign(href);
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
    // An organisation's neighbourhood as a wheel: the organisation in the middle, the
    // others on one ring grouped by kind (each issuer next to the award it gave), labels
    // pointing outwards so that none sits on another (a force layout piled them up).
    graph: function (data) {
      var centre = data.nodes[0];
      var linked = {};
      data.links.forEach(function (l) {
        (linked[l.source] = linked[l.source] || []).push(l.target);
      });
      var ring = [], placed = {};
      placed[centre.id] = true;
      function put(node) {
        if (placed[node.id]) return;
        placed[node.id] = true;
        ring.push(node);
      }
      var byId = {};
      data.nodes.forEach(function (n) { byId[n.id] = n; });
      data.categories.forEach(function (_, category) {
        data.nodes.forEach(function (n) {
          if (n.category !== category || n === centre) return;
          if ((linked[centre.id] || []).indexOf(n.id) < 0) return;  // issuers follow awards
          put(n);
          (linked[n.id] || []).forEach(function (id) { if (byId[id]) put(byId[id]); });
        });
      });
      data.nodes.forEach(put);  // anything not reached from the centre
      var step = 2 * Math.PI / Math.max(ring.length, 1);
      var nodes = [{ id: centre.id, name: centre.name, href: centre.href,
                     category: centre.category, symbolSize: centre.symbolSize, x: 0, y: 0,
                     label: { position: "bottom", fontWeight: "bold" } }];
      ring.forEach(function (n, i) {
        var angle = i * step - Math.PI / 2;  // from the top, clockwise (y grows downward)
        var degrees = -angle * 180 / Math.PI;
        var left = Math.cos(angle) < -1e-9;
        nodes.push({ id: n.id, name: n.name, href: n.href, category: n.category,
                     symbolSize: n.symbolSize, x: 100 * Math.cos(angle),
                     y: 100 * Math.sin(angle),
                     label: { position: left ? "left" : "right",
                              rotate: left ? degrees - 180 : degrees } });
      });
      return {
        legend: { top: 0, data: data.categories.map(function (c) { return c.name; }) },
        tooltip: { renderMode: "richText", confine: true,
                   formatter: function (p) { return p.dataType === "edge" ? "" : p.data.name; } },
        series: [{
          type: "graph", layout: "none", roam: true, top: 170, bottom: 150, left: 190,
          right: 190, categories: data.categories, data: nodes, links: data.links,
          label: { show: true, fontSize: 11, width: 150, overflow: "truncate" },
          emphasis: { focus: "adjacency", label: { show: true } },
          lineStyle: { color: "source", opacity: 0.5, curveness: 0.1 }
        }]
      };
    },
    // The ontology's classes at positions computed by the server (columns by subclass
    // depth): subclass arrows solid, object properties dashed and named on hover.
    diagram: function (data) {
      // Each class is a box with its name inside (measured here, where the font is known),
      // so that lines end at boxes and never run through a label.
      var measure = document.createElement("canvas").getContext("2d");
      measure.font = "11px system-ui, 'Noto Sans CJK SC', sans-serif";
      var names = {};
      var nodes = data.nodes.map(function (n) {
        names[n.id] = n.name;
        var width = Math.min(200, Math.ceil(measure.measureText(n.name).width) + 16);
        return { id: n.id, name: n.name, href: n.href, x: n.x, y: n.y, category: n.category,
                 symbolSize: [width, 20] };
      });
      var styles = [{ color: "#f8e6e6", borderColor: "#a31d24", borderWidth: 1 },
                    { color: "#e6eef7", borderColor: "#3d7ab8", borderWidth: 1 }];
      return {
        legend: { top: 0, data: data.categories.map(function (c) { return c.name; }) },
        tooltip: { renderMode: "richText", confine: true, formatter: function (p) {
          if (p.dataType === "edge") {
            return names[p.data.source] + (p.data.prop ? " — " + p.data.prop + " → " : " ⊂ ") +
              names[p.data.target];
          }
          return p.data.name;
        } },
        series: [{
          type: "graph", layout: "none", roam: true, top: 40, bottom: 16, left: 110, right: 110,
          categories: data.categories.map(function (c, i) {
            return { name: c.name, itemStyle: styles[i] };
          }),
          data: nodes, symbol: "rect",
          links: data.links.map(function (l) {
            var sub = l.kind === "sub";
            return { source: l.source, target: l.target, prop: l.prop,
                     symbol: ["none", sub ? "arrow" : "none"], symbolSize: 8,
                     lineStyle: sub ? { color: "#555", width: 1.3, opacity: 0.85, curveness: 0 }
                                    : { color: "#3d7ab8", type: "dashed", width: 1,
                                        opacity: 0.25, curveness: 0.2 } };
          }),
          label: { show: true, position: "inside", fontSize: 11, color: "#222", width: 190,
                   overflow: "truncate" },
          edgeLabel: { show: false, fontSize: 10,
                       formatter: function (p) { return p.data.prop || ""; } },
          emphasis: { focus: "adjacency", edgeLabel: { show: true },
                      lineStyle: { opacity: 1, width: 2 } }
        }]
      };
    },
    // Conferrals flowing from issuers (left) to recipients (right), as wide as their
    // count and coloured by level (the legend is the list under the picture).
    sankey: function (data) {
      return {
        tooltip: { renderMode: "richText", confine: true, formatter: function (p) {
          if (p.dataType === "edge") {
            var names = {};
            data.nodes.forEach(function (n) { names[n.id] = n.name; });
            return names[p.data.source] + " → " + names[p.data.target] + ": " + p.data.value +
              " (" + p.data.level + ")";
          }
          return p.data.name + ": " + p.data.value;
        } },
        graphic: data.columns.map(function (text, i) {
          return { type: "text", top: 0, left: i === 0 ? 8 : undefined,
                   right: i === 0 ? undefined : 8,
                   style: { text: text, fontWeight: "bold", fill: "#555", fontSize: 13 } };
        }),
        series: [{
          type: "sankey", top: 28, bottom: 8, left: 250, right: 310, nodeWidth: 12,
          nodeGap: 6, layoutIterations: 0, draggable: false, data: data.nodes,
          links: data.links, emphasis: { focus: "adjacency" },
          itemStyle: { color: "#7a1f1f", borderWidth: 0 },
          lineStyle: { opacity: 0.45, curveness: 0.5 },
          label: { fontSize: 11, width: 290, overflow: "truncate",
                   formatter: function (p) { return p.data.name; } },
          levels: [{ depth: 0, label: { position: "left", width: 240 } },
                   { depth: 1, label: { position: "right" } }]
        }]
      };
    },
    heatmap: function (data) {
      var max = 1;
      data.cells.forEach(function (c) { if (c[2] > max) max = c[2]; });
      return {
        grid: { left: 250, right: 72, top: 8, bottom: 150 },
        // interval 0: every company and every kind named (the server sized the grid for it).
        xAxis: { type: "category", data: data.columns,
                 axisLabel: { interval: 0, rotate: 60, fontSize: 11, width: 190, overflow: "truncate" } },
        yAxis: { type: "category", data: data.rows,
                 axisLabel: { interval: 0, fontSize: 11, width: 240, overflow: "truncate" } },
        // Beside the grid, not under it: the slanted kind names need the space below.
        visualMap: { min: 0, max: max, orient: "vertical", right: 0, top: "middle",
                     itemHeight: 120, calculable: false,
                     inRange: { color: ["#fbeaea", "#7a1f1f"] } },
        series: [{ type: "heatmap", data: data.cells, label: { show: true } }]
      };
    }
  };

  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var canvas = figure.querySelector("[data-chart]");
    var build = builders[canvas.getAttribute("data-chart")];
    var data = read(figure);
    if (!build || !data) return;
    // A sideways tree, a wheel, a flow or a diagram of long names does not fit a phone: the
    // list or table below it says the same.
    var wide = { tree: 560, graph: 560, sankey: 700, diagram: 700, heatmap: 700 }[
      canvas.getAttribute("data-chart")];
    if (wide && figure.clientWidth < wide) {
      // The table is the picture here: show it unfolded.
      figure.querySelectorAll("details").forEach(function (d) { d.open = true; });
      return;
    }
    if (typeof data.height === "number") canvas.style.height = data.height + "px";
    // A grid wider than the page scrolls sideways inside its figure.
    if (typeof data.minWidth === "number" && figure.clientWidth < data.minWidth) {
      canvas.style.width = data.minWidth + "px";
    }
    canvas.hidden = false;
    var chart = echarts.init(canvas, null, { renderer: "svg" });
    var option = merge(build(data));
    // ECharts' aria module replaces the element's aria-label with a generated sentence
    // ("the data for Activity is NaN …"): keep the page's own name as its description.
    option.aria = { enabled: true, label: { description: canvas.getAttribute("aria-label") } };
    chart.setOption(option);
    chart.on("click", go);
    window.addEventListener("resize", function () { chart.resize(); });
    figure.classList.add("drawn");
  });
})();
