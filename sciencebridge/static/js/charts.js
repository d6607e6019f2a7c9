/* Draws the dashboard's charts with Apache ECharts (vendored: static/vendor/echarts).
   Each <div class="echart" data-option="ID"> names a <script type="application/json" id="ID"> holding the
   option built on the server (cooperation/services/echarts.py). This script adds what JSON cannot carry:
   numbers formatted in the page's language, the ECharts locale (zh / zh-Hant), and the layout of
   side-by-side grids for the width of the screen. Without JavaScript the data table below each chart
   and its CSV carry the same numbers. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var intlLocale = lang === "zh-hant" ? "zh-Hant-HK" : lang === "zh-hans" ? "zh-Hans-CN" : "en-HK";
  var echartsLocale = lang === "zh-hant" ? "ZH_HANT" : lang === "zh-hans" ? "ZH" : "EN";
  var full = new Intl.NumberFormat(intlLocale, { maximumFractionDigits: 2 });
  var compact = new Intl.NumberFormat(intlLocale, { notation: "compact", maximumFractionDigits: 1 });
  var font = window.getComputedStyle(document.body).fontFamily;

  function tick(v) { return Math.abs(v) >= 10000 ? compact.format(v) : full.format(v); }
  function valueText(unit, name) {
    return function (v) {
      if (v === null || v === undefined || v === "-") { return "—"; }
      return full.format(v) + (unit === "%" ? " %" : name ? " " + name : "");
    };
  }
  function asList(x) { return Array.isArray(x) ? x : [x]; }

  function prepare(option) {
    option.textStyle = { fontFamily: font };
    var units = [];
    asList(option.xAxis).concat(asList(option.yAxis)).forEach(function (axis) {
      if (axis.type !== "value") { return; }
      axis.axisLabel = Object.assign({}, axis.axisLabel, { formatter: tick, hideOverlap: true });
      axis.nameTextStyle = Object.assign({ color: "#33404d", fontWeight: 600 }, axis.nameTextStyle);
      units[axis.gridIndex || 0] = { unit: axis.sbUnit, name: axis.name };
    });
    option.series.forEach(function (s) {
      var u = units[s.xAxisIndex || s.yAxisIndex || 0] || {};
      s.tooltip = { valueFormatter: valueText(u.unit, u.unit === "%" ? "" : u.name) };
    });
    return option;
  }

  /* Grids side by side (one per unit), sharing the category labels of the first one on the left. */
  function layout(chart, option, el) {
    if (option.sbLayout !== "side-by-side") { return; }
    var width = el.clientWidth, grids = asList(option.grid), n = grids.length;
    var labelWidth = Math.max(96, Math.min(230, Math.round(width * 0.34)));
    var gap = 28, right = 18;
    var plot = Math.max(60, width - labelWidth - right - gap * (n - 1));
    var first = n === 2 ? 0.6 : 1 / n, left = labelWidth;
    var newGrids = grids.map(function (g, i) {
      var w = Math.round(plot * (i === 0 ? first : (1 - first) / (n - 1)));
      var out = { left: left, width: w };
      left += w + gap;
      return out;
    });
    chart.setOption({
      grid: newGrids,
      yAxis: asList(option.yAxis).map(function () { return { axisLabel: { width: labelWidth - 14 } }; })
    });
  }

  function draw(el) {
    var script = document.getElementById(el.dataset.option);
    if (!script) { return; }
    var option = prepare(JSON.parse(script.textContent));
    var chart = window.echarts.init(el, null, { renderer: "svg", locale: echartsLocale });
    chart.setOption(option);
    layout(chart, option, el);
    el.classList.add("is-drawn");
    if (window.ResizeObserver) {
      new ResizeObserver(function () { chart.resize(); layout(chart, option, el); }).observe(el);
    }
  }

  function drawAll() { document.querySelectorAll(".echart[data-option]").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", drawAll); }
  else { drawAll(); }
})();
