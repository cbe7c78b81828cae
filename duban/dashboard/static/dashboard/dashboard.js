// The task chart (挂图作战). Data comes from the json_script "dashboard-data" built by duban/dashboard/charts.py;
// every bar, slice and marker carries the URL of the task list behind it, so a click drills down.
// Tooltips use ECharts' richText mode: the HTML tooltip writes style="" attributes, which the strict CSP forbids.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const L = data.labels;
  const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
  const charts = [];
  const narrow = () => window.innerWidth < 576;

  const base = () => ({
    animation: false,
    textStyle: { fontFamily: FONT },
    tooltip: { renderMode: "richText", confine: true, trigger: "item", textStyle: { fontFamily: FONT } },
  });

  function go(url) { if (url) window.location.assign(url); }

  function mount(name, build) {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (!el) return;
    const option = build(el);
    if (!option) {
      el.classList.add("chart-empty");
      el.textContent = "—";
      return;
    }
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    chart.on("click", (p) => {
      if (p.componentType === "yAxis" || p.componentType === "xAxis") {
        const urls = option.categoryUrls;
        const index = option.categories ? option.categories.indexOf(p.value) : -1;
        if (urls && index >= 0) go(urls[index]);
        return;
      }
      go(p.data && p.data.url);
    });
    el.dataset.ready = "1";
    charts.push(chart);
  }

  function stackedOption(block, horizontal, el) {
    if (!block.categories.length) return null;
    const slot = Math.floor((el.clientWidth - 60) / block.categories.length) - 6;  // room per category label
    const catAxis = {
      type: "category", data: block.categories, triggerEvent: true,
      axisLabel: horizontal ? { width: narrow() ? 84 : 130, overflow: "truncate", interval: 0 }
        : { interval: 0, width: Math.max(36, Math.min(120, slot)), overflow: "break" },
      axisTick: { show: false },
    };
    if (horizontal) catAxis.inverse = true;
    const valAxis = { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eceff3" } } };
    const option = Object.assign(base(), {
      legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: narrow() ? 11 : 12 } },
      grid: { left: 8, right: 16, top: narrow() ? 48 : 32, bottom: 8, containLabel: true },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? catAxis : valAxis,
      series: block.series.map((s) => ({
        type: "bar", name: s.name, stack: "status", barMaxWidth: horizontal ? 18 : 42,
        itemStyle: { color: s.color }, emphasis: { focus: "series" },
        label: { show: true, position: "inside", fontSize: 11, color: "#fff",
          formatter: (p) => (p.value ? String(p.value) : "") },
        data: block.series.length ? s.data : [],
      })),
      categories: block.categories,
      categoryUrls: block.urls,
    });
    option.tooltip.formatter = (p) => `${p.name}\n${p.seriesName}: ${p.value} ${L.tasks}`;
    return option;
  }

  function sizeRows(el, rows, per, extra) {
    el.style.height = `${Math.max(220, rows * per + extra)}px`;
  }

  mount("pie", () => {
    if (!data.pie.length) return null;
    const total = data.pie.reduce((a, s) => a + s.value, 0);
    const option = Object.assign(base(), {
      title: { text: String(total), subtext: L.tasks, left: "center", top: "36%",
        textStyle: { fontSize: 26, fontWeight: "bold", color: "#1f3a68", fontFamily: FONT },
        subtextStyle: { fontSize: 12, fontFamily: FONT } },
      legend: { bottom: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 12 } },
      series: [{
        type: "pie", radius: ["42%", "66%"], center: ["50%", "44%"], avoidLabelOverlap: true,
        label: { formatter: "{c}", fontSize: 13, fontWeight: "bold" }, labelLine: { length: 6, length2: 6 },
        data: data.pie,
      }],
    });
    option.tooltip.formatter = (p) => `${p.name}: ${p.value} ${L.tasks} (${p.percent}%)`;
    return option;
  });

  mount("area", (el) => stackedOption(data.area, false, el));
  mount("unit", (el) => { sizeRows(el, data.unit.categories.length, 26, 70); return stackedOption(data.unit, true, el); });
  mount("leader", (el) => { sizeRows(el, data.leader.categories.length, 34, 80); return stackedOption(data.leader, true, el); });

  mount("indicators", (el) => {
    const rows = data.indicators.rows;
    if (!rows.length) return null;
    sizeRows(el, rows.length, 30, 70);
    const cats = rows.map((r) => r.label);
    const option = Object.assign(base(), {
      legend: { top: 0, data: [L.actual, L.schedule], itemWidth: 12, itemHeight: 10 },
      grid: { left: 8, right: 36, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: 0, max: 150, interval: narrow() ? 50 : 25, axisLabel: { formatter: "{value}%" },
        splitLine: { lineStyle: { color: "#eceff3" } } },
      yAxis: { type: "category", data: cats, inverse: true, triggerEvent: true, axisTick: { show: false },
        axisLabel: { width: narrow() ? 90 : 150, overflow: "truncate", interval: 0 } },
      series: [
        { type: "bar", name: L.actual, barMaxWidth: 16, itemStyle: { color: "#2e9d5b" },
          label: { show: true, position: "right", fontSize: 11,
            formatter: (p) => (p.data.row.actual === null ? "" : `${p.data.row.actual}%`) },
          data: rows.map((r) => ({ value: r.actual === null ? 0 : r.actual, url: r.url, row: r,
            itemStyle: { color: r.behind ? "#d9363e" : "#2e9d5b" } })) },
        { type: "scatter", name: L.schedule, symbol: "rect", symbolSize: [3, 20], itemStyle: { color: "#1f3a68" },
          data: rows.map((r) => ({ value: [r.schedule, r.label], url: r.url, row: r,
            label: { show: r.actual === null, position: "right", formatter: L.notReported, fontSize: 11,
              color: "#6c757d" } })) },
      ],
      categories: cats,
      categoryUrls: rows.map((r) => r.url),
    });
    option.tooltip.formatter = (p) => {
      const r = p.data.row;
      const actual = r.value === null ? L.notReported : `${r.value}${r.uom} (${r.actual}%)`;
      return `${r.label}\n${L.target}: ${r.target}${r.uom}\n${L.actual}: ${actual}\n${L.schedule}: ${r.schedule}%`;
    };
    return option;
  });

  mount("trends", () => {
    const t = data.trends;
    const option = Object.assign(base(), {
      legend: { top: 0, itemWidth: 12, itemHeight: 10, textStyle: { fontSize: narrow() ? 11 : 12 } },
      grid: { left: 8, right: 8, top: narrow() ? 52 : 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: t.months, axisTick: { show: false } },
      yAxis: [
        { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eceff3" } } },
        { type: "value", minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { type: "bar", name: L.onTime, stack: "r", itemStyle: { color: "#2e9d5b" }, barMaxWidth: 36, data: t.on_time },
        { type: "bar", name: L.late, stack: "r", itemStyle: { color: "#e6a23c" }, barMaxWidth: 36, data: t.late },
        { type: "bar", name: L.missing, stack: "r", itemStyle: { color: "#d9363e" }, barMaxWidth: 36, data: t.missing },
        { type: "line", name: L.doneTotal, yAxisIndex: 1, symbolSize: 8, itemStyle: { color: "#2f6fb5" },
          label: { show: true, position: "top", fontSize: 11 }, data: t.done },
      ],
    });
    option.tooltip.formatter = (p) => `${p.name}\n${p.seriesName}: ${p.value}`;
    return option;
  });

  mount("gantt", (el) => {
    const g = data.gantt;
    if (!g.rows.length) return null;
    sizeRows(el, g.rows.length, 26, 60);
    const day = (s) => new Date(`${s}T00:00:00`).getTime();
    const today = day(g.today);
    const cats = g.rows.map((r) => r.label);
    const starts = g.rows.map((r) => day(r.start));
    const ends = g.rows.map((r) => day(r.end));
    const option = Object.assign(base(), {
      grid: { left: 8, right: 24, top: 24, bottom: 22, containLabel: true },
      xAxis: { type: "time", position: "top", min: Math.min(...starts, today) - 86400000 * 7,
        max: Math.max(...ends, today) + 86400000 * 7, splitLine: { show: true, lineStyle: { color: "#eceff3" } },
        axisLabel: { fontSize: 11, hideOverlap: true } },
      yAxis: { type: "category", data: cats, inverse: true, triggerEvent: true, axisTick: { show: false },
        axisLabel: { width: narrow() ? 92 : 200, overflow: "truncate", interval: 0, fontSize: 12 } },
      series: [
        { type: "custom", name: L.deadline, encode: { x: [1, 2], y: 0 },
          renderItem: (params, api) => {
            const y = api.value(0);
            const s = api.coord([api.value(1), y]);
            const e = api.coord([api.value(2), y]);
            const h = api.size([0, 1])[1] * 0.56;
            const cs = params.coordSys;
            const rect = echarts.graphic.clipRectByRect(
              { x: s[0], y: s[1] - h / 2, width: Math.max(e[0] - s[0], 3), height: h },
              { x: cs.x, y: cs.y, width: cs.width, height: cs.height });
            return rect && { type: "rect", shape: Object.assign(rect, { r: 3 }), style: api.style() };
          },
          markLine: { silent: true, symbol: "none", label: { formatter: L.today, position: "end", fontSize: 11, color: "#b3202a" },
            lineStyle: { color: "#b3202a", type: "dashed", width: 1.5 }, data: [{ xAxis: today }] },
          data: g.rows.map((r, i) => ({ value: [i, day(r.start), day(r.end)], url: r.url, row: r,
            itemStyle: { color: r.color } })) },
        { type: "scatter", name: L.milestone, symbol: "diamond", symbolSize: 11, z: 5,
          data: g.milestones.map((m) => ({ value: [day(m.date), m.row], url: m.url, m: m,
            itemStyle: { color: m.done ? "#1f3a68" : "#fff", borderColor: "#1f3a68", borderWidth: 1.5 } })) },
      ],
      categories: cats,
      categoryUrls: g.rows.map((r) => r.url),
    });
    option.tooltip.formatter = (p) => {
      if (p.data.m) return `${p.data.m.title}\n${p.data.m.date} · ${p.data.m.done ? L.reached : L.open}`;
      const r = p.data.row;
      return `${r.text}\n${L.start}: ${r.start}\n${L.deadline}: ${r.end}`;
    };
    return option;
  });

  // Printing: redraw every chart at the size its box has on paper (dashboard.css, @media print), in pixels at
  // 96 dpi; the browser has not laid out the print yet when "beforeprint" fires, so the sizes are read from
  // the print rules' millimetres, not from the screen layout.
  const MM = 96 / 25.4;
  const PRINT = { pie: [92, 56], area: [174, 56], unit: [134, 60], leader: [134, 60], indicators: [134, 80],
    trends: [134, 80], gantt: [272, 165] };
  let printing = false;
  const toPrint = () => {
    if (printing) return;
    printing = true;
    charts.forEach((c) => {
      const size = PRINT[c.getDom().dataset.chart];
      if (size) c.resize({ width: Math.round(size[0] * MM), height: Math.round(size[1] * MM) });
    });
  };
  const toScreen = () => { printing = false; charts.forEach((c) => c.resize({ width: "auto", height: "auto" })); };
  let timer = null;
  window.addEventListener("resize", () => {
    if (printing) return;
    clearTimeout(timer);
    timer = setTimeout(() => charts.forEach((c) => c.resize()), 120);
  });
  window.addEventListener("beforeprint", toPrint);
  window.addEventListener("afterprint", toScreen);
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", (m) => (m.matches ? toPrint() : toScreen()));
  }
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
