/* initiative-kg static view (graph.html): every entity and relation is in the page, nothing is fetched. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var byId = KG.byId, el = KG.el;
  var typeByKey = {};
  DATA.types.forEach(function (t) { typeByKey[t.key] = t; });
  var state = { year: null, province: null, isolates: false };

  // --- sidebar -------------------------------------------------------------------------
  byId("stats").textContent = DATA.nodes.length + " 实体 entities · " + DATA.edges.length + " 关系 relations";
  byId("notice").textContent = DATA.notice;
  DATA.links.forEach(function (link) {
    var a = el("a", link[0]);
    a.setAttribute("href", link[1]);
    byId("links").appendChild(a);
  });

  function checkboxRow(container, group, value, labelNode, count) {
    var row = el("label", null, "row");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = value; box.dataset.group = group;
    box.addEventListener("change", function () { applyFilters(false); });
    row.appendChild(box);
    row.appendChild(labelNode);
    row.appendChild(el("span", count, "count"));
    container.appendChild(row);
  }
  DATA.types.forEach(function (t) {
    var label = el("span");
    label.appendChild(KG.swatch(t.shape, t.color));
    label.appendChild(document.createTextNode(" " + t.name));
    label.style.display = "inline-flex"; label.style.alignItems = "center"; label.style.gap = "4px";
    checkboxRow(byId("types"), "types", t.key, label, t.count);
  });
  var pubCounts = DATA.publishers.map(function () { return 0; });
  var noPub = 0, isolates = 0, yearCounts = {};
  DATA.info.forEach(function (info) {
    if (info.pubs.length === 0) { noPub += 1; }
    info.pubs.forEach(function (p) { pubCounts[p] += 1; });
    if (info.isolate) { isolates += 1; }
    info.years.forEach(function (y) { yearCounts[y] = (yearCounts[y] || 0) + 1; });
  });
  DATA.publishers.forEach(function (p, i) { checkboxRow(byId("publishers"), "publishers", String(i), el("span", p), pubCounts[i]); });
  if (noPub > 0) { checkboxRow(byId("publishers"), "publishers", "none", el("span", "（无）none"), noPub); }
  document.querySelectorAll("button[data-all], button[data-none]").forEach(function (b) {
    b.addEventListener("click", function () {
      var group = b.dataset.all || b.dataset.none;
      document.querySelectorAll('input[data-group="' + group + '"]').forEach(function (box) { box.checked = !!b.dataset.all; });
      applyFilters(false);
    });
  });
  byId("isolates-label").textContent = "显示 " + isolates + " 个无关系的实体 show " + isolates + " unconnected entities";
  if (!isolates) { byId("isolates-row").style.display = "none"; }
  byId("isolates").addEventListener("change", function () { state.isolates = byId("isolates").checked; applyFilters(true); });

  // at a glance: each publisher's main programs and platforms
  DATA.glance.forEach(function (entry) {
    var block = el("div", null, "glance");
    var group = DATA.info.findIndex(function (info, i) { return info.type === "ORG" && DATA.nodes[i].label === entry[0]; });
    var head = el("div", null, "glance-head");
    if (group >= 0) { head.appendChild(nodeLink(group)); } else { head.textContent = entry[0]; }
    block.appendChild(head);
    [["PROGRAM", "项目 programs"], ["PLATFORM", "平台 platforms"]].forEach(function (kind) {
      var ids = entry[1][kind[0]] || [];
      if (!ids.length) { return; }
      var line = el("div", null, "glance-line");
      line.appendChild(el("span", kind[1] + "：", "glance-kind"));
      ids.forEach(function (i, k) {
        if (k) { line.appendChild(document.createTextNode("、")); }
        line.appendChild(nodeLink(i));
      });
      block.appendChild(line);
    });
    byId("glance").appendChild(block);
  });
  if (!DATA.glance.length) { byId("glance-section").style.display = "none"; }

  // years: one button per year, and "all"
  function yearButton(label, year, count) {
    var b = el("button", label);
    b.type = "button"; b.dataset.year = year === null ? "" : String(year);
    b.setAttribute("aria-pressed", year === state.year ? "true" : "false");
    if (count !== undefined) { b.appendChild(el("span", count, "n")); }
    b.addEventListener("click", function () { setYear(year); });
    byId("years").appendChild(b);
  }
  yearButton("全部 all", null);
  Object.keys(yearCounts).map(Number).sort().forEach(function (y) { yearButton(String(y), y, yearCounts[y]); });
  function setYear(year) {
    state.year = year;
    byId("years").querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.year === (year === null ? "" : String(year)) ? "true" : "false");
    });
    applyFilters(true);
  }

  // the map
  var map = KG.provinceMap(DATA.provinces, function (i) { pickProvince(state.province === i ? null : i); });
  byId("map").appendChild(map);
  byId("map").appendChild(KG.mapScale(map.max));
  function pickProvince(i) {
    state.province = i;
    map.select(i);
    applyFilters(true);
  }
  var legendSizes = [1, 10, 100].filter(function (n, i) { return i === 0 || DATA.nodes.some(function (d) { return d.value > n; }); });
  byId("legend-body").appendChild(KG.legend(DATA.types, DATA.relations, legendSizes));

  // --- network ---------------------------------------------------------------------------
  // labels by level of detail: tier 0 drawn from the overview zoom on, tiers 1 and 2 as one zooms in;
  // important nodes are drawn last, on top
  var order = DATA.nodes.map(function (n, i) { return i; });
  order.sort(function (a, b) { return DATA.info[b].tier - DATA.info[a].tier || a - b; });
  var nodes = new vis.DataSet(order.map(function (i) { return DATA.nodes[i]; }));
  var edges = new vis.DataSet(DATA.edges);
  var container = byId("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  var neighbours = DATA.nodes.map(function () { return []; });
  DATA.edges.forEach(function (e) { neighbours[e.from].push(e.to); neighbours[e.to].push(e.from); });

  function visibleIds() { return nodes.getIds({ filter: function (n) { return !n.hidden; } }); }
  function fitVisible() {
    var ids = visibleIds();
    network.fit({ nodes: ids.length ? ids : undefined, animation: false });
    // leave room for the legend at the bottom: a little smaller, and moved up by half its height
    var scale = network.getScale() * 0.94, centre = network.getViewPosition();
    var legend = byId("legend").offsetHeight || 0;
    network.moveTo({ scale: scale, position: { x: centre.x, y: centre.y + legend / 2 / scale }, animation: false });
  }
  var lod = KG.levelOfDetail(network, nodes, function (i) { return DATA.info[i]; }, DATA.lod);
  function calibrateLabels() { lod.calibrate(DATA.nodes.map(function (n, i) { return i; })); }
  network.once("afterDrawing", function () {
    fitVisible();
    calibrateLabels();
    document.body.setAttribute("data-open-ms", performance.now().toFixed(1));
    document.body.setAttribute("data-rendered", "1");
    document.body.setAttribute("data-node-count", String(DATA.nodes.length));
    document.body.setAttribute("data-visible-count", String(visibleIds().length));
  });
  var userMoved = false;
  network.on("dragStart", function () { userMoved = true; });
  network.on("zoom", function () { userMoved = true; byId("zoom-hint").style.display = "none"; });
  window.addEventListener("resize", function () { if (!userMoved) { fitVisible(); } });

  function inProvince(i, p) { return DATA.info[i].prov.indexOf(p) >= 0; }
  function applyFilters(refit) {
    var types = {}, pubs = {};
    document.querySelectorAll('input[data-group="types"]').forEach(function (b) { types[b.value] = b.checked; });
    document.querySelectorAll('input[data-group="publishers"]').forEach(function (b) { pubs[b.value] = b.checked; });
    var near = null;
    if (state.province !== null) {
      near = {};
      DATA.info.forEach(function (info, i) {
        if (inProvince(i, state.province)) { near[i] = 1; neighbours[i].forEach(function (j) { near[j] = 1; }); }
      });
    }
    var shown = 0;
    var updates = DATA.info.map(function (info, i) {
      var visible = types[info.type] !== false && (state.isolates || !info.isolate);
      if (visible) {
        if (info.pubs.length === 0) { visible = pubs.none !== false; }
        else { visible = info.pubs.some(function (p) { return pubs[String(p)]; }); }
      }
      if (visible && state.year !== null) { visible = info.years.indexOf(state.year) >= 0; }
      if (visible && near) { visible = !!near[i]; }
      if (visible) { shown += 1; }
      return { id: i, hidden: !visible };
    });
    nodes.update(updates);
    document.body.setAttribute("data-visible-count", String(shown));
    var note = [];
    if (state.year !== null) { note.push(state.year + " 年 year"); }
    if (state.province !== null) { note.push(DATA.provinces[state.province][1] + "（" + DATA.provinces[state.province][4] + " 个项目 programs）"); }
    var box = byId("filter-note");
    box.textContent = "";
    if (note.length) {
      box.appendChild(document.createTextNode("筛选 showing " + note.join(" · ") + "：" + shown + " 实体 entities"));
      var clear = el("button", "清除 clear");
      clear.type = "button";
      clear.addEventListener("click", function () { state.year = null; setYear(null); pickProvince(null); });
      box.appendChild(clear);
    }
    if (refit) { fitVisible(); }
  }

  // --- search (Simplified or Traditional) -----------------------------------------------------
  function normalise(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      out += Object.prototype.hasOwnProperty.call(DATA.t2s, ch) ? DATA.t2s[ch] : ch;
    }
    return out.toLowerCase().trim();
  }
  function runSearch() {
    var q = normalise(byId("search").value);
    var list = byId("results");
    list.textContent = "";
    if (!q) { return; }
    var hits = [];
    for (var i = 0; i < DATA.info.length && hits.length < 50; i++) {
      var key = DATA.info[i].key, at = key.indexOf(q);
      if (at >= 0) { hits.push([at === 0 ? 0 : 1, DATA.nodes[i].label.length, i]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    if (hits.length === 0) { list.appendChild(el("li", "无结果 no match", "none")); return; }
    hits.slice(0, 20).forEach(function (h) {
      var i = h[2], t = typeByKey[DATA.info[i].type];
      var li = el("li"); li.tabIndex = 0;
      if (t) { li.appendChild(KG.swatch(t.shape, t.color, 12)); }
      li.appendChild(el("span", DATA.nodes[i].label));
      li.addEventListener("click", function () { focusNode(i); });
      li.addEventListener("keydown", function (e) { if (e.key === "Enter") { focusNode(i); } });
      list.appendChild(li);
    });
  }
  byId("search").addEventListener("input", runSearch);
  byId("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { var first = byId("results").querySelector("li[tabindex]"); if (first) { first.click(); } }
  });

  function focusNode(i) {
    var n = nodes.get(i);
    if (n && n.hidden) { nodes.update({ id: i, hidden: false }); }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(i);
  }

  // --- details panel -------------------------------------------------------------------------
  function docLabel(d) {
    var doc = DATA.docs[d];
    if (!doc) { return "?"; }
    return "《" + (doc[1] || doc[0].split("/").pop()) + "》" + (doc[2] ? " " + doc[2] : "") + (doc[3] ? " · " + doc[3] : "");
  }
  function nodeLink(i) {
    var a = el("span", DATA.nodes[i].label, "link");
    a.addEventListener("click", function () { focusNode(i); });
    return a;
  }
  function openPanel(children) {
    var body = byId("details-body");
    body.textContent = "";
    children.forEach(function (c) { body.appendChild(c); });
    byId("details").classList.add("open");
  }
  function figure(r) {  // the sentence of a figure's evidence is an index into DATA.sentences
    if (!r[4]) { return r; }
    var ev = r[4].slice();
    ev[3] = DATA.sentences[ev[3]];
    return [r[0], r[1], r[2], r[3], ev];
  }
  function showNode(i) {
    var n = DATA.nodes[i], info = DATA.info[i];
    var rels = network.getConnectedEdges(i).map(function (eid) {
      var e = DATA.edges[eid], other = e.from === i ? e.to : e.from;
      return { rel: DATA.einfo[eid].rel, out: e.from === i, label: DATA.nodes[other].label,
               open: function () { focusNode(other); } };
    });
    openPanel(KG.entityPanel({
      label: n.label, hant: info.hant, kgType: info.kgType, aliases: info.aliases,
      type: typeByKey[info.type] || { name: info.type, shape: "dot", color: "#999" },
      publishers: info.pubs.map(function (p) { return DATA.publishers[p]; }), mentions: info.mentions,
      years: info.years, relations: rels, figures: info.fig.map(figure), evidence: info.ev,
      names: [n.label, info.hant].concat(info.aliases), iri: info.iri, docLabel: docLabel
    }));
  }
  function showEdge(eid) {
    var e = DATA.edges[eid], ei = DATA.einfo[eid];
    var h = el("h3");
    h.appendChild(nodeLink(e.from));
    h.appendChild(el("span", " —" + ei.rel + "→ "));
    h.appendChild(nodeLink(e.to));
    var parts = [h];
    if (ei.src) { parts.push(el("div", "来源 source: " + ei.src, "type")); }
    parts.push(el("h2", "证据 evidence"), KG.evidenceList(ei.ev, null, docLabel));
    openPanel(parts);
  }
  byId("details").querySelector(".close").addEventListener("click", function () {
    byId("details").classList.remove("open"); network.unselectAll();
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // --- hover tooltip --------------------------------------------------------------------------
  network.on("hoverNode", function (params) {
    var i = params.node, info = DATA.info[i], t = typeByKey[info.type];
    var lines = [DATA.nodes[i].label + (info.hant ? " / " + info.hant : ""), t ? t.name : info.type];
    if (info.aliases.length) { lines.push("别名: " + info.aliases.slice(0, 5).join("；")); }
    var box = container.getBoundingClientRect();
    KG.hoverTip({ clientX: box.left + params.pointer.DOM.x, clientY: box.top + params.pointer.DOM.y }, lines.join("\n"));
  });
  network.on("blurNode", KG.hideTip);
  network.on("dragStart", KG.hideTip);

  // --- deep links: #select=<IRI>&search=<text>&year=<YYYY>&province=<code> -------------------------
  function fromHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.has("search")) { byId("search").value = params.get("search"); runSearch(); }
    if (params.has("year")) { setYear(Number(params.get("year")) || null); }
    if (params.has("province")) {
      var code = params.get("province");
      DATA.provinces.forEach(function (p, i) { if (p[0] === code) { pickProvince(i); } });
    }
    var iri = params.get("select");
    if (!iri) { return; }
    for (var i = 0; i < DATA.info.length; i++) {
      if (DATA.info[i].iri === iri) { network.selectNodes([i]); showNode(i); return; }
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  window.kgView = { network: network, nodes: nodes, data: DATA, focusNode: focusNode, showNode: showNode,
                    setYear: setYear, pickProvince: pickProvince };
}());
