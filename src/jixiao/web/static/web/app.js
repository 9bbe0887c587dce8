// Behaviour of the pages without inline scripts (the content security policy forbids them).
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches("input[data-select-all]")) {
      document.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = t.checked; });
    }
  });
  // a click on an indicator or a final-accounts cell chooses it as the comment's target
  function chooseTarget(ev) {
    var holder = ev.target && ev.target.closest ? ev.target.closest("[data-target]") : null;
    var select = document.getElementById("comment-target");
    if (!holder || !select) { return; }
    var value = holder.getAttribute("data-target");
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { select.value = value; return; }
    }
  }
  document.addEventListener("click", chooseTarget);
  document.addEventListener("focusin", chooseTarget);
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  function charts() {
    var holder = document.getElementById("charts");
    if (!holder || !window.echarts) { return; }
    fetch(holder.getAttribute("data-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        var dist = window.echarts.init(document.getElementById("chart-dist"));
        dist.setOption({
          tooltip: {},
          xAxis: { type: "category", data: d.bands, name: "总分" },
          yAxis: { type: "value", name: "份数", minInterval: 1 },
          series: [{ type: "bar", data: d.counts, itemStyle: { color: "#1f4e8c" }, label: { show: true, position: "top" } }]
        });
        var rank = window.echarts.init(document.getElementById("chart-rank"));
        var items = d.ranking.slice().reverse();
        rank.setOption({
          tooltip: {}, grid: { left: 260 },
          xAxis: { type: "value", min: 0, max: 100 },
          yAxis: { type: "category", data: items.map(function (r) { return r.year + "年 " + r.name; }),
                   axisLabel: { width: 250, overflow: "truncate" } },
          series: [{ type: "bar", data: items.map(function (r) { return Number(r.total); }),
                     itemStyle: { color: "#3d7cc9" }, label: { show: true, position: "right" } }]
        });
        window.addEventListener("resize", function () { dist.resize(); rank.resize(); });
      });
  }
  document.addEventListener("DOMContentLoaded", charts);
})();
