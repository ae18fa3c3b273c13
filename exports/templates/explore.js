/* initiative-kg served explorer (/explore): starts from the overview the server computed, and asks the
   SPARQL endpoint for neighbourhoods, evidence, figures, search results and the programs of a province. */
(function () {
  "use strict";
  var byId = KG.byId, el = KG.el;
  var CONFIG = JSON.parse(byId("kg-config").textContent);
  var D = null, nodes = null, edges = null, network = null, lod = null;
  var info = [], byIri = {}, edgeIds = {}, typeByKey = {}, docs = [], docIndex = {};
  var timings = {};

  // --- SPARQL ------------------------------------------------------------------------------
  var SAFE_IRI = /^[^\s<>"{}|^`\\]+$/;
  function iri(value) {
    if (!SAFE_IRI.test(value)) { throw new Error("not an IRI: " + value); }
    return "<" + value + ">";
  }
  function literal(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }
  function prefixes() {
    return Object.keys(D.ns).map(function (p) { return "PREFIX " + p + ": <" + D.ns[p] + ">\n"; }).join("");
  }
  var RELATIONS = function () { return D.relations.map(function (r) { return "kg:" + r[0]; }).join(" "); };
  function sparql(query) {
    return fetch(CONFIG.sparql, {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json" },
      body: prefixes() + query
    }).then(function (r) {
      if (!r.ok) { return r.text().then(function (t) { throw new Error(t.trim() || ("HTTP " + r.status)); }); }
      return r.json();
    }).then(function (j) { return j.results.bindings; });
  }
  function val(row, key) { return row[key] ? row[key].value : ""; }
  function num(row, key) { var v = val(row, key); return v === "" ? null : Number(v); }
  function fail(err) {
    var box = byId("filter-note");
    box.textContent = "查询失败 query failed: " + (err && err.message ? err.message : err);
  }

  // --- types -------------------------------------------------------------------------------
  function rank(name) { return name === "Subsidiary" ? 2 : (name === "Organization" || name === "Place") ? 0 : 1; }
  function coarseOf(classes) {
    var best = "", kgType = "";
    classes.slice().sort().forEach(function (c) {
      if (c.indexOf(D.ns.kg) !== 0) { return; }
      var name = c.slice(D.ns.kg.length), coarse = D.classes[name];
      if (coarse && (!kgType || rank(name) > rank(kgType))) { best = coarse; kgType = name; }
    });
    return { type: best, kgType: kgType };
  }
  function style(type) { return typeByKey[type] || { name: type, shape: "dot", color: "#999999" }; }

  // --- the graph on screen -------------------------------------------------------------------
  function addNode(nodeIri, label, type, kgType, x, y, extra) {
    if (Object.prototype.hasOwnProperty.call(byIri, nodeIri)) { return byIri[nodeIri]; }
    var id = info.length, t = style(type);
    var item = { iri: nodeIri, label: label, type: type, kgType: kgType, tier: 3, degree: null };
    Object.keys(extra || {}).forEach(function (k) { item[k] = extra[k]; });
    info.push(item);
    byIri[nodeIri] = id;
    pending.nodes.push({ id: id, label: label, x: x, y: y, value: (item.degree || 0) + 1, shape: t.shape, color: t.color,
                         font: { size: Math.max(1, D.lod.cap / network.getScale()) } });
    return id;
  }
  // vis-network redraws and rescales on every add: nodes and edges are added in one batch
  var pending = { nodes: [], edges: [] }, edgeCount = 0;
  function flush(added) {
    if (pending.nodes.length) { nodes.add(pending.nodes); }
    if (pending.edges.length) { edges.add(pending.edges); }
    pending = { nodes: [], edges: [] };
    lod.add(added || []);
    updateShown();
  }
  function addEdge(from, rel, to) {
    var key = from + "|" + rel + "|" + to;
    if (from === to || Object.prototype.hasOwnProperty.call(edgeIds, key)) { return; }
    var color = "#999999";
    D.relations.forEach(function (r) { if (r[0] === rel) { color = r[1]; } });
    edgeIds[key] = edgeCount;
    pending.edges.push({ id: edgeCount, from: from, to: to, color: color, rel: rel });
    edgeCount += 1;
  }
  // free places on rings around a centre, nearest first, away from the nodes already drawn
  var CELL = 30;
  function occupied() {
    var grid = {}, positions = network.getPositions();
    Object.keys(positions).forEach(function (id) {
      grid[Math.round(positions[id].x / CELL) + "," + Math.round(positions[id].y / CELL)] = 1;
    });
    return grid;
  }
  function ring(centre, count) {
    var grid = occupied(), out = [], r = 150, step = 56;
    while (out.length < count) {
      var fits = Math.max(6, Math.floor(2 * Math.PI * r / step));
      for (var k = 0; k < fits && out.length < count; k++) {
        var a = 2 * Math.PI * (k + (r / step) * 0.37) / fits;
        var p = { x: centre.x + r * Math.cos(a), y: centre.y + r * Math.sin(a) };
        var key = Math.round(p.x / CELL) + "," + Math.round(p.y / CELL);
        if (!grid[key]) { grid[key] = 1; out.push(p); }
      }
      r += step;
    }
    return out;
  }
  function updateShown() {
    var counts = {};
    info.forEach(function (item) { counts[item.type] = (counts[item.type] || 0) + 1; });
    var box = byId("shown");
    box.textContent = "";
    D.types.forEach(function (t) {
      var row = el("div", null, "row");
      row.appendChild(KG.swatch(t.shape, t.color));
      row.appendChild(el("span", t.name));
      row.appendChild(el("span", (counts[t.key] || 0) + " / " + (totalOf(t.key)), "count"));
      box.appendChild(row);
    });
  }
  function totalOf(type) { return D.totals[D.totalClasses[type]] || 0; }

  // --- expand: the neighbourhood of one entity -----------------------------------------------
  // no ORDER BY: sorting every neighbour of a hub (45,000 at 100x) takes seconds; without it the
  // store's index order is stable, and LIMIT stops after the first rows
  function neighbourQuery(nodeIri, offset) {
    return "SELECT ?p ?dir ?n ?label ?type WHERE {\n" +
      "  { SELECT ?p ?dir ?n WHERE {\n" +
      "    { " + iri(nodeIri) + " ?p ?n BIND(\"out\" AS ?dir) } UNION { ?n ?p " + iri(nodeIri) + " BIND(\"in\" AS ?dir) }\n" +
      "    VALUES ?p { " + RELATIONS() + " }\n    FILTER(isIRI(?n))\n" +
      "  } LIMIT " + D.neighbours + " OFFSET " + (offset || 0) + " }\n" +
      "  OPTIONAL { ?n rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), \"zh-Hans\")) }\n" +
      "  OPTIONAL { ?n a ?type }\n}";
  }
  function countQuery(nodeIri) {  // FILTER IN, not VALUES: Oxigraph then starts from the entity
    return "SELECT (COUNT(*) AS ?n) WHERE {\n" +
      "  { " + iri(nodeIri) + " ?p ?x } UNION { ?x ?p " + iri(nodeIri) + " }\n" +
      "  FILTER(?p IN (" + RELATIONS().split(" ").join(", ") + "))\n}";
  }
  function expand(nodeIri) {
    var started = performance.now();
    var id = byIri[nodeIri], item = info[id], offset = item.loaded || 0;
    if (item.degree === null && !item.counting) {  // the total comes later: counting a hub's relations takes a while
      item.counting = true;
      sparql(countQuery(nodeIri)).then(function (rows) {
        item.degree = num(rows[0], "n");
        nodes.update({ id: id, value: item.degree + 1 });
      }).catch(fail);
    }
    return sparql(neighbourQuery(nodeIri, offset)).then(function (rows) {
      var found = {}, order = [], links = 0;
      rows.forEach(function (r) {
        var key = val(r, "n");
        if (!found[key]) { found[key] = { label: val(r, "label"), classes: [], links: {} }; order.push(key); }
        if (val(r, "type")) { found[key].classes.push(val(r, "type")); }
        if (val(r, "label") && !found[key].label) { found[key].label = val(r, "label"); }
        var link = val(r, "dir") + " " + val(r, "p").slice(D.ns.kg.length);
        if (!found[key].links[link]) { found[key].links[link] = 1; links += 1; }
      });
      var fresh = order.filter(function (k) { return !Object.prototype.hasOwnProperty.call(byIri, k) && coarseOf(found[k].classes).type; });
      var centre = network.getPosition(id);
      var places = ring(centre, fresh.length);
      var added = [];
      fresh.forEach(function (k, i) {
        var t = coarseOf(found[k].classes);
        added.push(addNode(k, found[k].label || k.split("/").pop(), t.type, t.kgType, places[i].x, places[i].y));
      });
      order.forEach(function (k) {
        if (!Object.prototype.hasOwnProperty.call(byIri, k)) { return; }
        Object.keys(found[k].links).forEach(function (link) {
          var parts = link.split(" ");
          if (parts[0] === "out") { addEdge(id, parts[1], byIri[k]); } else { addEdge(byIri[k], parts[1], id); }
        });
      });
      item.loaded = offset + links;
      item.complete = links < D.neighbours;
      flush(added);
      return new Promise(function (resolve) {  // resolved once the frame with the new nodes is drawn
        network.once("afterDrawing", function () {
          timings.expand = performance.now() - started;
          document.body.setAttribute("data-expand-ms", timings.expand.toFixed(1));
          document.body.setAttribute("data-node-count", String(info.length));
          resolve({ added: added.length, neighbours: order.length, degree: item.degree, ms: timings.expand });
        });
        network.redraw();
      });
    });
  }

  // --- details: labels, evidence, figures ------------------------------------------------------
  function docRow(row) {
    var d = val(row, "doc");
    if (!Object.prototype.hasOwnProperty.call(docIndex, d)) {
      docIndex[d] = docs.length;
      docs.push([d, val(row, "title"), val(row, "publisher"), num(row, "docYear") || 0]);
    }
    return docIndex[d];
  }
  function docLabel(d) {
    var doc = docs[d];
    if (!doc) { return "?"; }
    return "《" + (doc[1] || doc[0].split("/").pop()) + "》" + (doc[2] ? " " + doc[2] : "") + (doc[3] ? " · " + doc[3] : "");
  }
  function detailQueries(nodeIri) {
    var e = iri(nodeIri);
    return [
      "SELECT ?label ?hant ?alias ?type WHERE {\n  { " + e + " rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), \"zh-Hans\")) }\n" +
      "  UNION { " + e + " rdfs:label ?hant FILTER(LANGMATCHES(LANG(?hant), \"zh-Hant\")) }\n" +
      "  UNION { " + e + " skos:altLabel ?alias } UNION { " + e + " a ?type }\n}",
      "SELECT ?doc ?start ?end ?sentence ?page ?title ?publisher ?docYear WHERE {\n  " + e + " prov:wasDerivedFrom ?m .\n" +
      "  ?m kg:inDocument ?doc ; kg:sentence ?sentence .\n  OPTIONAL { ?m kg:startOffset ?start } OPTIONAL { ?m kg:endOffset ?end } OPTIONAL { ?m kg:page ?page }\n" +
      "  OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc kg:year ?docYear }\n" +
      "  OPTIONAL { ?doc kg:publisher ?pub . ?pub rdfs:label ?publisher FILTER(LANGMATCHES(LANG(?publisher), \"zh-Hans\")) }\n" +
      "} ORDER BY ?doc ?start LIMIT 40",
      "SELECT ?indicator ?year ?value ?unit ?doc ?start ?end ?sentence ?title WHERE {\n" +
      "  ?m kg:subject " + e + " ; kg:indicator ?indicator ; kg:value ?value .\n  OPTIONAL { ?m kg:unit ?unit } OPTIONAL { ?m kg:year ?year }\n" +
      "  OPTIONAL { ?m prov:wasDerivedFrom ?mm . ?mm kg:sentence ?sentence ; kg:inDocument ?doc .\n" +
      "             OPTIONAL { ?mm kg:startOffset ?start } OPTIONAL { ?mm kg:endOffset ?end } OPTIONAL { ?doc dcterms:title ?title } }\n" +
      "} LIMIT 1000"
    ];
  }
  function showDetails(nodeIri) {
    var started = performance.now();
    return Promise.all(detailQueries(nodeIri).map(sparql)).then(function (answers) {
      var id = byIri[nodeIri], item = info[id];
      var labels = { label: "", hant: "", aliases: {}, classes: [] };
      answers[0].forEach(function (r) {
        if (val(r, "label")) { labels.label = labels.label || val(r, "label"); }
        if (val(r, "hant")) { labels.hant = labels.hant || val(r, "hant"); }
        if (val(r, "alias")) { labels.aliases[val(r, "alias")] = 1; }
        if (val(r, "type")) { labels.classes.push(val(r, "type")); }
      });
      var seen = {}, evidence = [], publishers = {}, years = {};
      answers[1].forEach(function (r) {
        var d = docRow(r);
        if (val(r, "publisher")) { publishers[val(r, "publisher")] = 1; }
        if (num(r, "docYear")) { years[num(r, "docYear")] = 1; }
        var key = d + "\u0000" + val(r, "sentence");
        if (seen[key] || evidence.length >= 5) { return; }
        seen[key] = 1;
        var row = [d, num(r, "start"), num(r, "end"), val(r, "sentence")];
        if (num(r, "page")) { row.push(num(r, "page")); }
        evidence.push(row);
      });
      var figures = answers[2].map(function (r) {
        var value = num(r, "value"), ev = null;
        if (val(r, "doc")) { ev = [docRow(r), num(r, "start"), num(r, "end"), val(r, "sentence")]; }
        if (num(r, "year")) { years[num(r, "year")] = 1; }
        return [val(r, "indicator"), num(r, "year") || 0, value === null || isNaN(value) ? val(r, "value") : value, val(r, "unit"), ev];
      });
      var t = coarseOf(labels.classes);
      var label = labels.label || item.label;
      var rels = edges.get({ filter: function (e) { return e.from === id || e.to === id; } }).map(function (e) {
        var other = e.from === id ? e.to : e.from;
        return { rel: e.rel, out: e.from === id, label: info[other].label, open: function () { select(info[other].iri); } };
      });
      var more = el("div", null, "buttons");
      if (!item.complete) {
        var b = el("button", item.loaded ? "展开更多 load " + D.neighbours + " more" : "展开邻居 expand neighbours");
        b.type = "button";
        b.addEventListener("click", function () { expand(nodeIri).then(function () { showDetails(nodeIri); }).catch(fail); });
        more.appendChild(b);
      }
      var note = item.degree === null ? "" : " · " + rels.length + " / " + item.degree + " shown";
      openPanel(KG.entityPanel({
        label: label, hant: labels.hant, kgType: t.kgType, type: style(t.type || item.type),
        aliases: Object.keys(labels.aliases).sort().filter(function (a) { return a !== label && a !== labels.hant; }),
        publishers: Object.keys(publishers).sort(), mentions: answers[1].length + (answers[1].length >= 40 ? "+" : ""),
        years: Object.keys(years).map(Number).sort(), relations: rels, relationNote: note, extra: more,
        figures: figures, evidence: evidence, names: [label, labels.hant].concat(Object.keys(labels.aliases)),
        iri: nodeIri, docLabel: docLabel
      }));
      if (answers[2].length >= 1000) { byId("details-body").appendChild(el("div", "前 1000 个数据 the first 1,000 figures", "hint")); }
      timings.details = performance.now() - started;
      document.body.setAttribute("data-details-ms", timings.details.toFixed(1));
    });
  }
  function openPanel(children) {
    var body = byId("details-body");
    body.textContent = "";
    children.forEach(function (c) { body.appendChild(c); });
    byId("details").classList.add("open");
  }
  function select(nodeIri) {
    var id = byIri[nodeIri];
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    return showDetails(nodeIri).catch(fail);
  }

  // --- search ---------------------------------------------------------------------------------
  function searchQuery(text) {
    return "SELECT ?e ?label ?type WHERE {\n  { SELECT DISTINCT ?e WHERE {\n    ?e rdfs:label|skos:altLabel ?name .\n" +
      "    FILTER(CONTAINS(LCASE(STR(?name)), " + literal(text.toLowerCase()) + "))\n  } LIMIT 40 }\n" +
      "  ?e a ?type .\n  OPTIONAL { ?e rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), \"zh-Hans\")) }\n}";
  }
  var searchSeq = 0;
  function runSearch() {
    var q = byId("search").value.trim(), seq = ++searchSeq, list = byId("results");
    if (!q) { list.textContent = ""; return Promise.resolve([]); }
    return sparql(searchQuery(q)).then(function (rows) {
      if (seq !== searchSeq) { return []; }
      var found = {}, order = [];
      rows.forEach(function (r) {
        var k = val(r, "e");
        if (!found[k]) { found[k] = { label: val(r, "label"), classes: [] }; order.push(k); }
        found[k].classes.push(val(r, "type"));
        if (!found[k].label) { found[k].label = val(r, "label"); }
      });
      var hits = order.map(function (k) { var t = coarseOf(found[k].classes); return { iri: k, label: found[k].label || k, type: t.type, kgType: t.kgType }; })
        .filter(function (h) { return h.type; });
      hits.sort(function (a, b) {
        var pa = a.label.indexOf(q) === 0 ? 0 : 1, pb = b.label.indexOf(q) === 0 ? 0 : 1;
        return pa - pb || a.label.length - b.label.length || (a.label < b.label ? -1 : 1);
      });
      list.textContent = "";
      if (!hits.length) { list.appendChild(el("li", "无结果 no match", "none")); }
      hits.slice(0, 20).forEach(function (h) {
        var li = el("li"), t = style(h.type);
        li.tabIndex = 0;
        li.appendChild(KG.swatch(t.shape, t.color, 12));
        li.appendChild(el("span", h.label));
        var go = function () { open(h); };
        li.addEventListener("click", go);
        li.addEventListener("keydown", function (e) { if (e.key === "Enter") { go(); } });
        list.appendChild(li);
      });
      if (rows.length && order.length >= 40) { list.appendChild(el("li", "前 40 个 the first 40 matches", "more")); }
      return hits;
    }).catch(fail);
  }
  function open(hit) {
    if (!Object.prototype.hasOwnProperty.call(byIri, hit.iri)) {
      var c = network.getViewPosition();
      var p = ring(c, 1)[0];
      flush([addNode(hit.iri, hit.label, hit.type, hit.kgType, p.x, p.y)]);
    }
    return expand(hit.iri).then(function () { return select(hit.iri); }).catch(fail);
  }
  var searchTimer = 0;
  byId("search").addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 250); });
  byId("search").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { runSearch().then(function () { var first = byId("results").querySelector("li[tabindex]"); if (first) { first.click(); } }); }
  });

  // --- the map: the programs of one province ----------------------------------------------------
  function provinceQuery(code) {
    return "SELECT DISTINCT ?program ?label WHERE {\n  ?program a kg:Program ; kg:implementedIn ?place .\n" +
      "  ?place kg:adcode ?code .\n  FILTER(STRSTARTS(STR(?code), " + literal(code.slice(0, 2)) + "))\n" +
      "  OPTIONAL { ?program rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), \"zh-Hans\")) }\n} ORDER BY ?label ?program LIMIT " + D.neighbours;
  }
  function pickProvince(i, map) {
    var tile = D.provinces[i];
    map.select(i);
    return sparql(provinceQuery(tile[0])).then(function (rows) {
      var anchor = null;
      info.forEach(function (item, id) { if (item.adcode === tile[0]) { anchor = id; } });
      var centre = anchor !== null ? network.getPosition(anchor) : network.getViewPosition();
      var fresh = rows.filter(function (r) { return !Object.prototype.hasOwnProperty.call(byIri, val(r, "program")); });
      var places = ring(centre, fresh.length), added = [];
      fresh.forEach(function (r, k) {
        added.push(addNode(val(r, "program"), val(r, "label") || val(r, "program"), "PROGRAM", "Program", places[k].x, places[k].y));
      });
      flush(added);
      var ids = rows.map(function (r) { return byIri[val(r, "program")]; });
      if (anchor !== null) { ids.push(anchor); }
      network.selectNodes(ids);
      network.fit({ nodes: ids, animation: false });
      byId("filter-note").textContent = tile[1] + "：" + tile[4] + " 个项目 programs" + (rows.length < tile[4] ? "（显示 showing " + rows.length + "）" : "");
      return rows.length;
    }).catch(fail);
  }

  // --- start --------------------------------------------------------------------------------------
  function start(data) {
    D = data;
    D.types.forEach(function (t) { typeByKey[t.key] = t; });
    byId("stats").textContent = D.types.reduce(function (n, t) { return n + totalOf(t.key); }, 0) +
      " 实体 entities · " + D.relations.reduce(function (n, r) { return n + (D.totals[r[0]] || 0); }, 0) +
      " 关系 relations · overview: the " + D.nodes.length + " most connected (each type its share)";
    nodes = new vis.DataSet(D.nodes);
    edges = new vis.DataSet(D.edges.map(function (e, i) { e.rel = D.einfo[i].rel; return e; }));
    D.info.forEach(function (item, i) {
      item.label = D.nodes[i].label;
      info.push(item);
      byIri[item.iri] = i;
      item.loaded = 0;
    });
    D.edges.forEach(function (e) { edgeIds[e.from + "|" + e.rel + "|" + e.to] = e.id; });
    edgeCount = D.edges.length;
    network = new vis.Network(byId("network"), { nodes: nodes, edges: edges }, D.options);
    lod = KG.levelOfDetail(network, nodes, function (id) { return info[id]; }, D.lod);
    network.once("afterDrawing", function () {
      network.fit({ animation: false });
      lod.calibrate(D.nodes.map(function (n) { return n.id; }));
      timings.open = performance.now();
      document.body.setAttribute("data-open-ms", timings.open.toFixed(1));
      document.body.setAttribute("data-node-count", String(info.length));
      document.body.setAttribute("data-rendered", "1");
    });
    network.on("click", function (params) { if (params.nodes.length) { showDetails(info[params.nodes[0]].iri).catch(fail); } });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { var target = info[params.nodes[0]].iri; expand(target).then(function () { showDetails(target); }).catch(fail); }
    });
    network.on("hoverNode", function (params) {
      var item = info[params.node], t = style(item.type);
      var box = byId("network").getBoundingClientRect();
      KG.hoverTip({ clientX: box.left + params.pointer.DOM.x, clientY: box.top + params.pointer.DOM.y },
                  item.label + "\n" + t.name + (item.degree !== null ? "\n" + item.degree + " 关系 relations" : ""));
    });
    network.on("blurNode", KG.hideTip);
    network.on("zoom", function () { byId("zoom-hint").style.display = "none"; });
    byId("details").querySelector(".close").addEventListener("click", function () { byId("details").classList.remove("open"); network.unselectAll(); });
    var map = KG.provinceMap(D.provinces, function (i) { pickProvince(i, map); });
    byId("map").appendChild(map);
    byId("map").appendChild(KG.mapScale(map.max));
    byId("legend-body").appendChild(KG.legend(D.types, D.relations, [1, 10, 100, 1000]));
    byId("reset").addEventListener("click", function () { location.reload(); });
    updateShown();
  }
  window.kgExplore = {
    expand: expand, details: function (x) { return showDetails(x); }, search: function (q) { byId("search").value = q; return runSearch(); },
    open: open, province: function (code) {
      var map = byId("map").querySelector("svg");
      for (var i = 0; i < D.provinces.length; i++) { if (D.provinces[i][0] === code) { return pickProvince(i, map); } }
      return Promise.resolve(0);
    },
    info: function () { return info; }, timings: timings, network: function () { return network; }
  };
  fetch(CONFIG.overview).then(function (r) {
    if (!r.ok) { return r.text().then(function (t) { throw new Error(t.trim()); }); }
    return r.json();
  }).then(start).catch(function (err) {
    byId("stats").textContent = "";
    fail(err);
    document.body.setAttribute("data-rendered", "error");
  });
}());
