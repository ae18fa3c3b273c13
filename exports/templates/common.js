/* initiative-kg: what the static view (graph.html) and the served explorer (/explore) share.
   Everything read from documents is put on screen with textContent or as SVG text nodes. */
var KG = (function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var SHAPES = {
    diamond: "10,1 19,10 10,19 1,10",
    square: "2,2 18,2 18,18 2,18",
    triangle: "10,1 19,18 1,18",
    star: "10,1 12.6,7 19,7.3 14,11.4 15.7,18 10,14.3 4.3,18 6,11.4 1,7.3 7.4,7"
  };

  function byId(id) { return document.getElementById(id); }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function swatch(shape, color, size) {
    size = size || 14;
    var root = svg("svg", { width: size, height: size, viewBox: "0 0 20 20", "class": "swatch" });
    var s = shape === "dot" ? svg("circle", { cx: 10, cy: 10, r: 8 })
      : svg("polygon", { points: SHAPES[shape] || SHAPES.square });
    s.setAttribute("fill", color); s.setAttribute("stroke", "#333"); s.setAttribute("stroke-width", "1");
    root.appendChild(s);
    return root;
  }

  // --- numbers ----------------------------------------------------------------------
  function round3(v) { return Number(v.toPrecision(3)).toString(); }
  function compact(v) {
    if (typeof v !== "number" || !isFinite(v)) { return String(v); }
    var a = Math.abs(v);
    if (a >= 1e8) { return round3(v / 1e8) + "亿"; }
    if (a >= 1e4) { return round3(v / 1e4) + "万"; }
    return a >= 100 ? String(Math.round(v)) : round3(v);
  }

  // --- hover tooltip ------------------------------------------------------------------
  var tip = null;
  function hoverTip(event, text) {
    if (!tip) { tip = el("div", null, "kg-tip"); document.body.appendChild(tip); }
    tip.textContent = text;
    tip.style.left = Math.min(event.clientX + 14, window.innerWidth - 340) + "px";
    tip.style.top = (event.clientY + 14) + "px";
    tip.style.display = "block";
  }
  function hideTip() { if (tip) { tip.style.display = "none"; } }

  // --- evidence: rows [document, start, end, sentence, page?] ---------------------------
  function evidenceList(rows, names, docLabel) {
    var ul = el("ul", null, "evidence");
    rows.forEach(function (r) {
      var li = el("li"), s = String(r[3]);
      var p = el("div"), at = -1, highlight = "";
      (names || []).some(function (name) {
        at = name ? s.indexOf(name) : -1;
        highlight = name;
        return at >= 0;
      });
      if (at >= 0) {
        p.appendChild(document.createTextNode(s.slice(0, at)));
        p.appendChild(el("mark", highlight));
        p.appendChild(document.createTextNode(s.slice(at + highlight.length)));
      } else { p.textContent = s; }
      li.appendChild(p);
      var page = r.length > 4 && r[4] ? "p. " + r[4] + " · " : "";
      li.appendChild(el("div", docLabel(r[0]) + " " + page + "[" + r[1] + ", " + r[2] + ")", "src"));
      ul.appendChild(li);
    });
    if (rows.length === 0) { ul.appendChild(el("li", "—")); }
    return ul;
  }

  // --- figures by year: rows [indicator, year, value, unit, evidence row or null] --------------
  var CHART = { w: 318, h: 104, left: 46, right: 12, top: 18, bottom: 20 };
  function figureGroups(rows) {
    var groups = {}, order = [];
    rows.forEach(function (r) {
      var key = r[0] + "\u0000" + r[3];
      if (!groups[key]) { groups[key] = { indicator: r[0], unit: r[3], dated: [], undated: [] }; order.push(key); }
      (r[1] > 0 && typeof r[2] === "number" ? groups[key].dated : groups[key].undated).push(r);
    });
    var list = order.map(function (k) { return groups[k]; });
    // trends first: one value a year over the most years; then indicators read many times a year
    list.sort(function (a, b) {
      var ya = distinctYears(a.dated), yb = distinctYears(b.dated);
      var ma = a.dated.length > ya ? 1 : 0, mb = b.dated.length > yb ? 1 : 0;
      return ma - mb || yb - ya || b.dated.length - a.dated.length || (a.indicator < b.indicator ? -1 : a.indicator > b.indicator ? 1 : 0);
    });
    return list;
  }
  function distinctYears(points) {
    var seen = {};
    points.forEach(function (r) { seen[r[1]] = 1; });
    return Object.keys(seen).length;
  }
  function pointText(group, r, docLabel) {
    var ev = r[4];
    var lines = [r[1] + " · " + compact(r[2]) + (group.unit ? " " + group.unit : "") + (typeof r[2] === "number" && Math.abs(r[2]) >= 1e4 ? " (" + r[2] + ")" : "")];
    if (ev) { lines.push(String(ev[3])); lines.push(docLabel(ev[0])); }
    return lines.join("\n");
  }
  function chart(group, docLabel) {
    var c = CHART, pts = group.dated.slice().sort(function (a, b) { return a[1] - b[1] || a[2] - b[2]; });
    var y0 = pts[0][1], y1 = pts[pts.length - 1][1];
    var max = Math.max.apply(null, pts.map(function (r) { return r[2]; }));
    var min = Math.min(0, Math.min.apply(null, pts.map(function (r) { return r[2]; })));
    if (max === min) { max = min + 1; }
    var X = function (year) { return y1 === y0 ? c.left + (c.w - c.left - c.right) / 2 : c.left + (year - y0) / (y1 - y0) * (c.w - c.left - c.right); };
    var Y = function (v) { return c.top + (1 - (v - min) / (max - min)) * (c.h - c.top - c.bottom); };
    var root = svg("svg", { width: c.w, height: c.h, viewBox: "0 0 " + c.w + " " + c.h, "class": "chart", role: "img" });
    root.appendChild(svg("title", {}, group.indicator + (group.unit ? "（" + group.unit + "）" : "") + " by year"));
    root.appendChild(svg("line", { x1: c.left, x2: c.w - c.right, y1: Y(min), y2: Y(min), stroke: "#bbb" }));
    root.appendChild(svg("line", { x1: c.left, x2: c.left, y1: c.top - 4, y2: Y(min), stroke: "#bbb" }));
    root.appendChild(svg("text", { x: c.left - 4, y: Y(min) + 4, "text-anchor": "end", "class": "axis" }, compact(min)));
    var years = {};
    pts.forEach(function (r) { years[r[1]] = (years[r[1]] || 0) + 1; });
    Object.keys(years).forEach(function (y) {
      root.appendChild(svg("text", { x: X(Number(y)), y: c.h - 5, "text-anchor": "middle", "class": "axis" }, y));
    });
    // one value a year: a line with each value written; several (an indicator read from many
    // sentences): the points only, values on hover
    var single = Object.keys(years).every(function (y) { return years[y] === 1; });
    if (!single) {
      root.appendChild(svg("text", { x: c.left + 2, y: c.top - 6, "class": "axis" }, "每年多个值 several values a year · max " + compact(max)));
    }
    if (single && Object.keys(years).length > 1) {
      var path = pts.map(function (r, i) { return (i ? "L" : "M") + X(r[1]).toFixed(1) + " " + Y(r[2]).toFixed(1); }).join(" ");
      root.appendChild(svg("path", { d: path, fill: "none", stroke: "#f28e2b", "stroke-width": 1.5 }));
    }
    pts.forEach(function (r) {
      var cx = X(r[1]), cy = Y(r[2]);
      var dot = svg("circle", { cx: cx, cy: cy, r: 4.5, fill: "#f28e2b", stroke: "#8a3b00", "class": "point", "data-year": r[1] });
      var text = pointText(group, r, docLabel);
      dot.appendChild(svg("title", {}, text));
      dot.addEventListener("mouseenter", function (e) { hoverTip(e, text); dot.setAttribute("r", 6.5); });
      dot.addEventListener("mouseleave", function () { hideTip(); dot.setAttribute("r", 4.5); });
      if (single) { root.appendChild(svg("text", { x: cx, y: cy - 8, "text-anchor": "middle", "class": "value" }, compact(r[2]))); }
      root.appendChild(dot);
    });
    return root;
  }
  function figures(rows, docLabel, limit) {
    var box = el("div", null, "figures");
    var groups = figureGroups(rows), shown = 0, rest = [];
    groups.forEach(function (g) {
      if (g.dated.length && shown < (limit || 8)) {
        var item = el("div", null, "figure");
        item.appendChild(el("div", g.indicator + (g.unit ? "（" + g.unit + "）" : ""), "figure-name"));
        item.appendChild(chart(g, docLabel));
        box.appendChild(item);
        shown += 1;
      } else {
        g.dated.concat(g.undated).forEach(function (r) { rest.push([g, r]); });
      }
    });
    if (rest.length) {
      var more = el("details", null, "more-figures");
      more.appendChild(el("summary", (shown ? "其他数据 more figures" : "数据 figures") + " (" + rest.length + ")"));
      var ul = el("ul", null, "figure-list");
      rest.forEach(function (pair) {
        var g = pair[0], r = pair[1];
        var li = el("li", (r[1] > 0 ? r[1] + " · " : "") + g.indicator + " " + compact(r[2]) + (g.unit ? " " + g.unit : ""));
        var text = pointText(g, r, docLabel);
        li.title = text;
        li.addEventListener("mouseenter", function (e) { hoverTip(e, text); });
        li.addEventListener("mouseleave", hideTip);
        ul.appendChild(li);
      });
      more.appendChild(ul);
      box.appendChild(more);
    }
    return box;
  }

  // --- the province tile map: tiles [code, name, col, row, programs] ------------------------
  function mapColor(count, max) {
    if (!count) { return "#eeeeee"; }
    var t = Math.log(1 + count) / Math.log(1 + Math.max(max, 1));
    var a = [255, 224, 190], b = [196, 78, 0];
    return "rgb(" + a.map(function (v, i) { return Math.round(v + (b[i] - v) * t); }).join(",") + ")";
  }
  function provinceMap(tiles, onPick) {
    var cols = 0, rows = 0, max = 0, size = 29, gap = 1;
    tiles.forEach(function (t) { cols = Math.max(cols, t[2] + 1); rows = Math.max(rows, t[3] + 1); max = Math.max(max, t[4]); });
    var root = svg("svg", { width: cols * (size + gap), height: rows * (size + gap), "class": "map", role: "group" });
    var rects = [];
    tiles.forEach(function (t, i) {
      var g = svg("g", { "class": "tile", "data-code": t[0], tabindex: "0", role: "button" });
      var x = t[2] * (size + gap), y = t[3] * (size + gap);
      var rect = svg("rect", { x: x, y: y, width: size, height: size, rx: 3, fill: mapColor(t[4], max), stroke: "#fff" });
      var dark = t[4] && Math.log(1 + t[4]) / Math.log(1 + Math.max(max, 1)) > 0.6;
      g.appendChild(rect);
      g.appendChild(svg("text", { x: x + size / 2, y: y + 13, "text-anchor": "middle", "class": "tile-name" + (dark ? " dark" : ""),
                                  "font-size": t[1].length > 2 ? 8.5 : 10.5 }, t[1]));
      if (t[4]) { g.appendChild(svg("text", { x: x + size / 2, y: y + 24, "text-anchor": "middle", "class": "tile-count" + (dark ? " dark" : "") }, t[4])); }
      g.appendChild(svg("title", {}, t[1] + "：" + t[4] + " 个项目 programs"));
      var pick = function () { onPick(i); };
      g.addEventListener("click", pick);
      g.addEventListener("keydown", function (e) { if (e.key === "Enter") { pick(); } });
      rects.push(rect);
      root.appendChild(g);
    });
    root.select = function (index) {
      rects.forEach(function (r, i) { r.setAttribute("stroke", i === index ? "#222" : "#fff"); r.setAttribute("stroke-width", i === index ? 2 : 1); });
    };
    root.max = max;
    return root;
  }
  function mapScale(max) {
    var box = el("div", null, "map-scale");
    box.appendChild(el("span", "0"));
    [0.0001, 0.25, 0.5, 0.75, 1].forEach(function (t) {
      var c = el("span", null, "map-step");
      c.style.background = mapColor(t === 0.0001 ? 1 : Math.round(Math.exp(t * Math.log(1 + max)) - 1), max);
      box.appendChild(c);
    });
    box.appendChild(el("span", String(max) + " 个项目 programs"));
    return box;
  }

  // --- legend: colour and shape = type, size = relations, line colour = relation --------------
  function legend(types, relations, sizes) {
    var box = el("div", null, "legend-body");
    var row = el("div", null, "legend-row");
    row.appendChild(el("span", "颜色·形状 = 类型", "legend-key"));
    types.forEach(function (t) {
      var item = el("span", null, "legend-item");
      item.appendChild(swatch(t.shape, t.color, 12));
      item.appendChild(document.createTextNode(t.name.split(" ")[0]));
      row.appendChild(item);
    });
    box.appendChild(row);
    row = el("div", null, "legend-row");
    row.appendChild(el("span", "大小 = 关系数 size: relations", "legend-key"));
    (sizes || [1, 10, 100]).forEach(function (n, i) {
      var item = el("span", null, "legend-item"), d = 6 + i * 5;
      var dot = svg("svg", { width: d + 2, height: d + 2 });
      dot.appendChild(svg("circle", { cx: d / 2 + 1, cy: d / 2 + 1, r: d / 2, fill: "#cfd8e3", stroke: "#555" }));
      item.appendChild(dot);
      item.appendChild(document.createTextNode(String(n)));
      row.appendChild(item);
    });
    box.appendChild(row);
    row = el("div", null, "legend-row");
    row.appendChild(el("span", "连线 = 关系 lines: relation", "legend-key"));
    relations.forEach(function (r) {
      var item = el("span", null, "legend-item");
      var sw = el("span", null, "edge-swatch"); sw.style.background = r[1];
      item.appendChild(sw);
      item.appendChild(document.createTextNode(r[0]));
      row.appendChild(item);
    });
    box.appendChild(row);
    return box;
  }

  // --- relations of an entity, grouped by relation and direction ----------------------------------
  /* items: [{rel, out: true if this entity is the subject, label, open: function}] */
  function relationList(items, shown) {
    var box = el("div", null, "relations");
    var groups = {}, order = [];
    items.forEach(function (it) {
      var key = (it.out ? "→ " : "← ") + it.rel;
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(it);
    });
    order.forEach(function (key) {
      var list = groups[key], row = el("div", null, "rel-group");
      row.appendChild(el("span", key + " (" + list.length + ") ", "rel-name"));
      var add = function (target, it, k) {
        if (k) { target.appendChild(document.createTextNode("、")); }
        var a = el("span", it.label, "link");
        a.addEventListener("click", it.open);
        target.appendChild(a);
      };
      list.slice(0, shown || 8).forEach(function (it, k) { add(row, it, k); });
      if (list.length > (shown || 8)) {
        var more = el("details", null, "rel-more");
        more.appendChild(el("summary", "+" + (list.length - (shown || 8)) + " more"));
        var rest = el("div");
        list.slice(shown || 8).forEach(function (it, k) { add(rest, it, k); });
        more.appendChild(rest);
        row.appendChild(more);
      }
      box.appendChild(row);
    });
    return box;
  }

  // --- labels by level of detail ---------------------------------------------------------------
  /* Font sizes are computed for an estimated overview zoom: calibrate() sets them for the zoom this
     window gives (tier t appears at zoom base * lod.zoom[t]); after any zoom (the user's, focus(),
     moveTo(), fit()) labels are capped at lod.cap pixels on screen. infoOf(id) gives {tier, em}. */
  function levelOfDetail(network, nodes, infoOf, lod) {
    var base = null, last = null, frame = 0, ids = [];
    function sizes(force) {
      var scale = network.getScale();
      if (!force && last !== null && Math.abs(scale / last - 1) < 0.08) { return; }
      last = scale;
      nodes.update(ids.map(function (id) {
        var info = infoOf(id), em = info.em || 1;
        var size = lod.px * em / (base * lod.zoom[info.tier]);
        return { id: id, font: { size: Math.max(1, Math.min(size, lod.cap * em / scale)) } };
      }));
    }
    network.on("afterDrawing", function () {
      if (base !== null && !frame) { frame = window.requestAnimationFrame(function () { frame = 0; sizes(false); }); }
    });
    return {
      calibrate: function (all) {
        ids = all.slice();
        base = network.getScale();
        sizes(true);
        document.body.setAttribute("data-label-scale", base.toFixed(4));
      },
      add: function (more) { ids = ids.concat(more); if (base !== null) { sizes(true); } }
    };
  }

  // --- the entity panel -------------------------------------------------------------------
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" || (value.length === 0 && !(value instanceof Node))) { return; }
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }
  /* m: {label, hant, type: {name, shape, color}, kgType, aliases, publishers, mentions, years,
         relations (see relationList), relationNote, figures (rows), extra (Node), evidence (rows),
         names, iri, docLabel} */
  function entityPanel(m) {
    var h = el("h3", m.label);
    if (m.hant) { h.appendChild(el("span", " " + m.hant, "hant")); }
    var type = el("div", null, "type");
    type.appendChild(swatch(m.type.shape, m.type.color, 12));
    type.appendChild(document.createTextNode(m.type.name + (m.kgType ? " · kg:" + m.kgType : "")));
    var dl = el("dl");
    field(dl, "别名 aliases", (m.aliases || []).join("；"));
    field(dl, "发布者 publishers", (m.publishers || []).join("；"));
    field(dl, "年份 years", (m.years || []).join("、"));
    field(dl, "提及 mentions", m.mentions);
    var parts = [h, type, dl];
    if (m.figures && m.figures.length) {
      parts.push(el("h2", "数据 figures by year"));
      parts.push(figures(m.figures, m.docLabel));
    }
    if (m.relations && m.relations.length) {
      parts.push(el("h2", "关系 relations" + (m.relationNote || "")));
      parts.push(relationList(m.relations));
    }
    if (m.extra) { parts.push(m.extra); }
    parts.push(el("h2", "证据 evidence"), evidenceList(m.evidence || [], m.names, m.docLabel), el("div", m.iri, "iri"));
    return parts;
  }

  return {
    byId: byId, el: el, svg: svg, swatch: swatch, compact: compact, hoverTip: hoverTip, hideTip: hideTip,
    evidenceList: evidenceList, figures: figures, chart: chart, provinceMap: provinceMap, mapScale: mapScale,
    legend: legend, field: field, relationList: relationList, entityPanel: entityPanel,
    levelOfDetail: levelOfDetail
  };
}());
