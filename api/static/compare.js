// The comparison chart: one horizontal bar per group for the chosen measure
// (Apache ECharts, served by the app from api/static/vendor). A bar links to the
// same items as its table cell. Without ECharts the table stays as it is.
(function () {
  "use strict";
  var box = document.getElementById("chart");
  var dataEl = document.getElementById("chart-data");
  var select = document.getElementById("chart-measure");
  if (!box || !dataEl || !select) return;
  if (!window.echarts) {
    box.textContent = "图表不可用：缺少 echarts（运行 make install） chart unavailable: echarts missing";
    box.classList.add("chart-missing");
    return;
  }
  var data = JSON.parse(dataEl.textContent);
  var chart = window.echarts.init(box, null, { renderer: "svg" });
  // axis ticks as people read them: money in 亿元/万元, shares in %
  function axisLabel(metric) {
    if (metric.indexOf("money") === 0) {
      return function (v) { return Math.abs(v) >= 1e8 ? (v / 1e8) + "亿" : Math.abs(v) >= 1e4 ? (v / 1e4) + "万" : String(v); };
    }
    if (metric === "vague_share") return function (v) { return Math.round(v * 100) + "%"; };
    return null;
  }
  function draw(key) {
    var col = data.columns.find(function (c) { return c.key === key; }) || data.columns[0];
    if (!col) return;
    var rows = data.rows.filter(function (r) { return r.cells[col.key] && r.cells[col.key].value != null; });
    rows.sort(function (a, b) { return b.cells[col.key].value - a.cells[col.key].value; });
    rows = rows.slice(0, 25).reverse();
    chart.setOption({
      animation: false,
      title: { text: col.label, left: 0, textStyle: { fontSize: 13 } },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: function (p) {
        var cell = rows[p.dataIndex].cells[col.key];
        return p.name + "<br>" + cell.text + "（" + cell.count + " 条）";
      } },
      xAxis: { type: "value", axisLabel: { hideOverlap: true, formatter: axisLabel(col.metric) } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.label; }),
               axisLabel: { width: 140, overflow: "truncate" } },
      series: [{ type: "bar", data: rows.map(function (r) {
        return { value: r.cells[col.key].value, page: r.cells[col.key].page };
      }), itemStyle: { color: "#2f6fd0" }, cursor: "pointer" }]
    }, true);
    box.style.height = Math.max(220, rows.length * 26 + 60) + "px";
    chart.resize();
    box.setAttribute("data-measure", col.key);
    box.setAttribute("data-bars", String(rows.length));
  }
  chart.on("click", function (p) {
    if (p.data && p.data.page) window.location.href = p.data.page;
  });
  select.addEventListener("change", function () { draw(select.value); });
  window.addEventListener("resize", function () { chart.resize(); });
  draw(select.value);
  box.setAttribute("data-ready", "1");
})();
