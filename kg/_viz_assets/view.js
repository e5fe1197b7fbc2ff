// hormone-kg interactive view: start view, paths of the answer, search, filters, tooltips and details panel.
// Every text that comes from the graph is inserted with textContent (never innerHTML): labels,
// synonyms and evidence are data, not markup. Called once by the page right after the network exists.
"use strict";

function hkgInit(network) {
  var config = JSON.parse(document.getElementById("hkg-config").textContent);
  var nodeSet = nodes;  // vis.DataSet built by the pyvis template
  var edgeSet = edges;
  var hiddenCategories = {};
  var hiddenContexts = {};
  var SVG = "http://www.w3.org/2000/svg";
  var state = {path: config.paths.length ? 0 : null};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function button(text, cls, onClick) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function resolverLink(curie) {
    var prefix = curie.split(":")[0];
    if (config.unresolvable.indexOf(prefix) >= 0) { return el("span", curie); }
    var a = el("a", curie);
    a.href = config.resolver + curie.split(":").map(encodeURIComponent).join(":");
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function glyph(category) {  // fixed shapes and colours from the page's own config, never graph text
    var spec = config.glyphs[category];
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "14");
    s.setAttribute("height", "14");
    s.setAttribute("viewBox", "0 0 18 18");
    s.setAttribute("aria-hidden", "true");
    if (spec) {
      var shape = document.createElementNS(SVG, spec.tag);
      Object.keys(spec.attrs).forEach(function (k) { shape.setAttribute(k, spec.attrs[k]); });
      s.appendChild(shape);
    }
    return s;
  }

  function statementText(e) {
    return (e.negated ? "NOT: " : "") + e.subjectLabel + " " + e.predicateLabel + " " + e.objectLabel;
  }

  // ------------------------------------------------------------------ tooltips (DOM elements, text only)
  function nodeTip(n) {
    var div = el("div");
    div.appendChild(el("div", n.label, "hkg-tip-title"));
    div.appendChild(el("div", n.curie + " \u00b7 " + n.category, "hkg-tip-sub"));
    if (n.synonyms.length) { div.appendChild(el("div", "also: " + n.synonyms.join(", "))); }
    return div;
  }

  function edgeTip(e) {
    var div = el("div");
    div.appendChild(el("div", statementText(e), "hkg-tip-title"));
    div.appendChild(el("div", "sign: " + e.signWord + (e.magnitude ? " (" + e.magnitude + ")" : ""), "hkg-tip-sub"));
    div.appendChild(el("div", "context: " + e.context, "hkg-tip-sub"));
    if (e.evidence.length) {
      var text = e.evidence[0].text;
      div.appendChild(el("div", "\u201c" + (text.length > 200 ? text.slice(0, 197) + "..." : text) + "\u201d"));
    }
    div.appendChild(el("div", e.citations.join("; "), "hkg-tip-sub"));
    return div;
  }

  nodeSet.update(nodeSet.get().map(function (n) { return {id: n.id, title: nodeTip(n)}; }));
  edgeSet.update(edgeSet.get().map(function (e) { return {id: e.id, title: edgeTip(e)}; }));

  // ------------------------------------------------------------------ details panel
  var panel = document.getElementById("hkg-panel");

  function clearPanel() {
    panel.replaceChildren(el("p", "Click a node, an edge or a path (or search) to see its details.", "hkg-hint"));
  }

  function row(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join(", ") : String(value); }
    dl.appendChild(dd);
  }

  function title(text) {
    var h = el("h2", text);
    h.id = "hkg-panel-title";
    return h;
  }

  function contextButton(eid) {  // one statement, named by its context; opens it
    var e = edgeSet.get(eid);
    return button(e.context, "hkg-link", function () { network.selectEdges([eid]); showEdge(eid); });
  }

  function statementList(ids) {  // each statement once, grouped by what it says, each with its context
    var groups = {};
    var order = [];
    ids.forEach(function (eid) {
      var text = statementText(edgeSet.get(eid));
      if (!groups[text]) { groups[text] = []; order.push(text); }
      groups[text].push(eid);
    });
    order.sort();
    var ul = el("ul", null, "hkg-statements");
    order.forEach(function (text) {
      var li = el("li");
      li.appendChild(el("div", text, "hkg-statement"));
      var contexts = el("ul", null, "hkg-contexts-of");
      groups[text].sort(function (a, b) {
        var x = edgeSet.get(a).context, y = edgeSet.get(b).context;
        return x < y ? -1 : x > y ? 1 : (a < b ? -1 : a > b ? 1 : 0);
      }).forEach(function (eid) {
        var item = el("li");
        item.appendChild(contextButton(eid));
        contexts.appendChild(item);
      });
      li.appendChild(contexts);
      ul.appendChild(li);
    });
    return ul;
  }

  function showNode(id) {
    var n = nodeSet.get(id);
    if (!n) { return false; }
    var dl = el("dl");
    row(dl, "CURIE", resolverLink(n.curie));
    row(dl, "Category", n.category + " (level " + (n.level + 1) + ")");
    row(dl, "Synonyms", n.synonyms);
    row(dl, "Abbreviations", n.abbreviations);
    row(dl, "Description", n.description);
    var ids = network.getConnectedEdges(id).slice();
    if (ids.length) { row(dl, "Statements (" + ids.length + "), each with its context", statementList(ids)); }
    panel.replaceChildren(title(n.label), dl);
    return true;
  }

  function showEdge(id) {
    var e = edgeSet.get(id);
    if (!e) { return false; }
    var dl = el("dl");
    row(dl, "Sign", (e.signSymbol ? e.signSymbol + " " : "") + e.signWord +
      (e.negated ? " \u2014 asserted NOT to hold (never a causal edge)" : ""));
    row(dl, "Context", e.context);
    row(dl, "Magnitude", e.magnitude);
    row(dl, "Reaction", e.reaction);
    var quoted = {};
    if (e.evidence.length) {
      var box = el("div");
      e.evidence.forEach(function (ev) {
        quoted[ev.source] = true;
        box.appendChild(el("blockquote", ev.text));
        var cite = el("div", "\u2014 " + ev.citation + " ", "hkg-cite");
        cite.appendChild(resolverLink(ev.source));
        box.appendChild(cite);
      });
      row(dl, "Evidence", box);
    }
    var rest = el("ul");
    e.sources.forEach(function (s, i) {
      if (quoted[s]) { return; }
      var li = el("li");
      li.appendChild(el("span", e.citations[i] + " "));
      li.appendChild(resolverLink(s));
      rest.appendChild(li);
    });
    if (rest.childNodes.length) { row(dl, e.evidence.length ? "Other sources" : "Sources", rest); }
    row(dl, "Evidence type", e.evidenceType);
    row(dl, "Curator note", e.note);
    var text = statementText(e);
    var siblings = network.getConnectedEdges(e.from).filter(function (eid) {
      return eid !== id && statementText(edgeSet.get(eid)) === text;
    }).sort();
    if (siblings.length) {
      var ul = el("ul");
      siblings.forEach(function (eid) { var li = el("li"); li.appendChild(contextButton(eid)); ul.appendChild(li); });
      row(dl, "The same statement in other contexts", ul);
    }
    var on = config.paths.filter(function (p) { return p.edges.indexOf(id) >= 0; }).map(function (p) { return p.index + 1; });
    row(dl, "On path(s) of the answer", on.length ? on.join(", ") : "");
    row(dl, "Statement", e.statement + " (" + e.predicate + ")");
    panel.replaceChildren(title(statementText(e)), dl);
    return true;
  }

  function showPath(k) {
    var p = config.paths[k];
    if (!p) { return false; }
    var dl = el("dl");
    row(dl, "Path", p.text);
    row(dl, "Overall", p.sign + " \u00b7 " + p.steps + " step(s) \u00b7 " +
      (p.mechanism ? "a mechanism (direct steps only)" : "includes a summary step (a net effect)"));
    var ol = el("ol", null, "hkg-steps");
    p.edges.forEach(function (eid) {
      var e = edgeSet.get(eid);
      var li = el("li");
      li.appendChild(button(e.subjectLabel + " " + e.signSymbol + " " + e.objectLabel, "hkg-link",
        function () { network.selectEdges([eid]); showEdge(eid); }));
      li.appendChild(el("div", e.context, "hkg-hint"));
      ol.appendChild(li);
    });
    row(dl, "Steps, each with its context", ol);
    panel.replaceChildren(title("Path " + (k + 1) + " of " + config.paths.length), dl);
    return true;
  }

  // a dense view draws its edges lighter: those of the selected node in full colour
  var emphasised = {};
  function emphasise(ids) {
    var updates = [];
    Object.keys(emphasised).forEach(function (id) {
      if (ids.indexOf(id) < 0) { updates.push(Object.assign({id: id}, emphasised[id])); delete emphasised[id]; }
    });
    ids.forEach(function (id) {
      var e = edgeSet.get(id);
      if (!e || e.hkgLooks || emphasised[id] || e.color.opacity >= 1) { return; }
      emphasised[id] = {color: e.color, width: e.width};
      updates.push({id: id, color: Object.assign({}, e.color, {opacity: 1}), width: 2.5});
    });
    if (updates.length) { edgeSet.update(updates); }
  }
  network.on("selectNode", function (params) { emphasise(network.getConnectedEdges(params.nodes[0])); });
  network.on("deselectNode", function () { emphasise([]); });

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { clearPanel(); }
  });

  // ------------------------------------------------------------------ view: start, fit, zoom read-out
  var box = document.getElementById("mynetwork");

  function bounds(ids) {
    var b = null;
    ids.forEach(function (id) {
      var r = network.getBoundingBox(id);
      if (!r) { return; }
      if (!b) { b = {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; return; }
      b.left = Math.min(b.left, r.left); b.right = Math.max(b.right, r.right);
      b.top = Math.min(b.top, r.top); b.bottom = Math.max(b.bottom, r.bottom);
    });
    return b;
  }

  function densest(width, height) {  // the centre of the screen-sized window holding most nodes (top-left first)
    var w = width / 2, h = height / 2, cells = {}, best = null;
    var positions = network.getPositions();
    var b = bounds(nodeSet.getIds()), x0 = b.left - 30, y0 = b.top - 30;  // windows line up with the top-left
    Object.keys(positions).forEach(function (id) {
      var key = Math.floor((positions[id].x - x0) / w) + "," + Math.floor((positions[id].y - y0) / h);
      cells[key] = (cells[key] || 0) + 1;
    });
    Object.keys(cells).forEach(function (key) {
      var ij = key.split(",").map(Number);
      for (var di = -1; di <= 0; di++) {
        for (var dj = -1; dj <= 0; dj++) {
          var i = ij[0] + di, j = ij[1] + dj, count = 0;
          [[0, 0], [1, 0], [0, 1], [1, 1]].forEach(function (d) { count += cells[(i + d[0]) + "," + (j + d[1])] || 0; });
          if (!best || count > best.count || (count === best.count && (j < best.j || (j === best.j && i < best.i)))) {
            best = {count: count, i: i, j: j};
          }
        }
      }
    });
    return best ? {x: x0 + (best.i + 1) * w, y: y0 + (best.j + 1) * h} : {x: 0, y: 0};
  }

  function inside(pos, scale) {  // move a window centred at pos so that it does not look past the drawing's edges
    var b = bounds(nodeSet.getIds());
    var w = box.clientWidth / scale / 2, h = box.clientHeight / scale / 2, margin = 30 / scale;
    var x = Math.max(Math.min(pos.x, b.right + margin - w), b.left - margin + w);
    var y = Math.max(Math.min(pos.y, b.bottom + margin - h), b.top - margin + h);
    return {x: b.right - b.left + 2 * margin < 2 * w ? (b.left + b.right) / 2 : x,
            y: b.bottom - b.top + 2 * margin < 2 * h ? (b.top + b.bottom) / 2 : y};
  }

  function showNodes(ids, centre) {  // fit ids (all when empty), never below a legible zoom
    var s = config.start;
    ids = ids.filter(function (id) { return nodeSet.get(id); });
    network.fit({nodes: ids.length ? ids : nodeSet.getIds(), animation: false});
    var scale = network.getScale();
    if (scale >= s.minScale) {
      if (scale > s.maxScale) { network.moveTo({scale: s.maxScale, animation: false}); }
      return;
    }
    var pos;
    if (ids.length) {
      var b = bounds(ids);
      var width = box.clientWidth / s.minScale;
      var x = (b.left + b.right) / 2;
      if (b.right - b.left > width - 60) { x = b.left - 30 + width / 2; }  // too long: from its start
      pos = {x: x, y: (b.top + b.bottom) / 2};
    } else if (centre && nodeSet.get(centre)) {
      pos = network.getPositions([centre])[centre];
    } else {
      pos = inside(densest(box.clientWidth / s.minScale, box.clientHeight / s.minScale), s.minScale);
    }
    network.moveTo({position: pos, scale: s.minScale, animation: false});
  }

  function startView() {
    var fit = state.path === null ? config.start.fit : config.paths[state.path].nodes;
    showNodes(fit, config.start.centre);
  }

  // the levels, shaded behind the nodes, each named at the left edge of the canvas (fixed size on screen)
  network.on("beforeDrawing", function (ctx) {
    var scale = network.getScale();
    var a = network.DOMtoCanvas({x: 0, y: 0});
    var b = network.DOMtoCanvas({x: box.clientWidth, y: box.clientHeight});
    ctx.save();
    config.levels.forEach(function (level, i) {
      if (level.bottom < a.y || level.top > b.y) { return; }
      ctx.fillStyle = i % 2 ? "rgba(80,110,160,0.07)" : "rgba(80,110,160,0.03)";
      ctx.fillRect(a.x, level.top, b.x - a.x, level.bottom - level.top);
      ctx.font = (12 / scale) + "px system-ui, sans-serif";
      ctx.textBaseline = "top";
      var y = Math.max(level.top, a.y) + 4 / scale;
      var text = "Level " + level.level + ": " + level.name;
      if (y < level.bottom - 14 / scale) {
        ctx.fillStyle = "rgba(255,255,255,0.85)";
        ctx.fillRect(a.x + 2 / scale, y - 2 / scale, ctx.measureText(text).width + 8 / scale, 17 / scale);
        ctx.fillStyle = "rgba(60,70,90,0.85)";
        ctx.fillText(text, a.x + 6 / scale, y);
      }
    });
    ctx.restore();
  });

  var zoom = document.getElementById("hkg-zoom");
  function readZoom() {
    var text = "zoom " + Math.round(network.getScale() * 100) + "% \u00b7 labels " +
      (network.getScale() * config.start.fontSize).toFixed(1) + " px";
    if (zoom.textContent !== text) { zoom.textContent = text; }
  }
  network.on("afterDrawing", readZoom);
  document.getElementById("hkg-fit").addEventListener("click", function () { network.fit({animation: false}); });
  document.getElementById("hkg-home").addEventListener("click", function () { startView(); });

  // ------------------------------------------------------------------ paths of the answer
  var pathList = document.getElementById("hkg-paths");
  var pathButtons = [];

  function restyle(currentNodes, currentEdges) {
    var nodeUpdates = [];
    nodeSet.get().forEach(function (n) {
      if (!n.hkgLooks) { return; }
      var look = currentNodes[n.id] ? n.hkgLooks.current : n.highlighted ? n.hkgLooks.on : n.hkgLooks.off;
      nodeUpdates.push(Object.assign({id: n.id}, look));
    });
    var edgeUpdates = [];
    edgeSet.get().forEach(function (e) {
      if (!e.hkgLooks) { return; }
      var look = currentEdges[e.id] ? e.hkgLooks.current : e.highlighted ? e.hkgLooks.on : e.hkgLooks.off;
      edgeUpdates.push(Object.assign({id: e.id}, look));
    });
    nodeSet.update(nodeUpdates);
    edgeSet.update(edgeUpdates);
  }

  function selectPath(k) {  // k: a path's index, or "all"
    var chosen = k === "all" ? config.paths : [config.paths[k]];
    if (!chosen.length || !chosen[0]) { return false; }
    var cn = {}, ce = {}, ids = [];
    chosen.forEach(function (p) {
      p.nodes.forEach(function (id) { if (!cn[id]) { cn[id] = true; ids.push(id); } });
      p.edges.forEach(function (id) { ce[id] = true; });
    });
    restyle(cn, ce);
    state.path = k === "all" ? null : k;
    pathButtons.forEach(function (b, i) {
      var on = k === "all" ? i === pathButtons.length - 1 : i === k;
      b.classList.toggle("hkg-current", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    document.body.setAttribute("data-hkg-path", String(k));
    showNodes(ids, null);
    if (k === "all") { panel.replaceChildren(title("All " + config.paths.length + " paths"), el("p", "Every path of the answer is drawn selected.", "hkg-hint")); }
    else { showPath(k); }
    return true;
  }

  if (pathList) {
    config.paths.forEach(function (p) {
      var li = el("li");
      var b = button(null, "hkg-path", function () { selectPath(p.index); });
      b.dataset.path = String(p.index);
      b.appendChild(el("span", p.text));
      b.appendChild(el("span", p.sign + (p.mechanism ? " \u00b7 mechanism" : "") + " \u00b7 " + p.steps + " steps", "hkg-path-meta"));
      li.appendChild(b);
      pathList.appendChild(li);
      pathButtons.push(b);
    });
    var li = el("li", null, "hkg-all");
    var all = button("all " + config.paths.length + " paths at once", "hkg-path", function () { selectPath("all"); });
    all.dataset.path = "all";
    li.appendChild(all);
    pathList.appendChild(li);
    pathButtons.push(all);
    if (pathButtons.length) { pathButtons[0].classList.add("hkg-current"); pathButtons[0].setAttribute("aria-pressed", "true"); }
  }

  // ------------------------------------------------------------------ filters
  function contextHidden(key) {
    if (key === "") { return !!hiddenContexts[""]; }
    return key.split("|").some(function (part) { return !!hiddenContexts[part]; });
  }

  function applyFilters() {
    var nodeUpdates = [];
    var hiddenNodes = {};
    nodeSet.get().forEach(function (n) {
      var hide = !!hiddenCategories[n.category];
      if (hide) { hiddenNodes[n.id] = true; }
      if (!!n.hidden !== hide) { nodeUpdates.push({id: n.id, hidden: hide}); }
    });
    var edgeUpdates = [];
    edgeSet.get().forEach(function (e) {
      var hide = contextHidden(e.contextKey) || !!hiddenNodes[e.from] || !!hiddenNodes[e.to];
      if (!!e.hidden !== hide) { edgeUpdates.push({id: e.id, hidden: hide}); }
    });
    if (nodeUpdates.length) { nodeSet.update(nodeUpdates); }
    if (edgeUpdates.length) { edgeSet.update(edgeUpdates); }
  }

  function checkboxes(box, items, hiddenMap, keyName, withGlyph) {
    var inputs = [];
    items.forEach(function (item) {
      var label = el("label", null, "hkg-filter");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = true;
      input.dataset[keyName] = item.key;
      input.addEventListener("change", function () {
        if (input.checked) { delete hiddenMap[item.key]; } else { hiddenMap[item.key] = true; }
        applyFilters();
      });
      inputs.push(input);
      label.appendChild(input);
      if (withGlyph) { label.appendChild(glyph(item.key)); }
      label.appendChild(el("span", item.text));
      label.appendChild(el("span", item.count, "hkg-count"));
      box.appendChild(label);
    });
    return inputs;
  }

  function allNone(box, inputs, hiddenMap, keyName) {
    var actions = el("div", null, "hkg-filter-actions");
    function setAll(on) {
      inputs.forEach(function (input) {
        input.checked = on;
        if (on) { delete hiddenMap[input.dataset[keyName]]; } else { hiddenMap[input.dataset[keyName]] = true; }
      });
      applyFilters();
    }
    actions.appendChild(button("all", "", function () { setAll(true); }));
    actions.appendChild(button("none", "", function () { setAll(false); }));
    box.insertBefore(actions, box.firstChild);
  }

  var categoryBox = document.getElementById("hkg-categories");
  allNone(categoryBox, checkboxes(categoryBox, config.categories, hiddenCategories, "category", true),
    hiddenCategories, "category");

  var contextBox = document.getElementById("hkg-contexts");
  var everyContext = [];
  config.contextGroups.forEach(function (group) {
    var details = el("details", null, "hkg-context-group");
    details.dataset.group = group.key;
    details.open = group.items.length <= 6;
    details.appendChild(el("summary", group.title + " (" + group.items.length + ")"));
    var inner = el("div");
    var inputs = checkboxes(inner, group.items, hiddenContexts, "context", false);
    if (group.items.length > 1) { allNone(inner, inputs, hiddenContexts, "context"); }
    everyContext = everyContext.concat(inputs);
    details.appendChild(inner);
    contextBox.appendChild(details);
  });
  allNone(contextBox, everyContext, hiddenContexts, "context");

  // ------------------------------------------------------------------ search
  var entries = nodeSet.get().map(function (n) {
    var names = [n.label].concat(n.synonyms, n.abbreviations, [n.curie]);
    return {id: n.id, label: n.label, curie: n.curie, names: names.map(function (x) { return String(x).toLowerCase(); })};
  });

  function rank(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var scored = [];
    entries.forEach(function (entry) {
      var best = 9;
      entry.names.forEach(function (name) {
        var score = name === q ? 0 : name.indexOf(q) === 0 ? 1 : name.indexOf(q) > 0 ? 2 : 9;
        if (score < best) { best = score; }
      });
      if (best < 9) { scored.push([best, entry.label.length, entry.id, entry]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return scored.map(function (s) { return s[3]; });
  }

  function selectEntity(id) {
    var n = nodeSet.get(id);
    if (!n || n.hidden) { return false; }
    network.selectNodes([id]);
    emphasise(network.getConnectedEdges(id));
    network.focus(id, {scale: Math.max(network.getScale(), config.start.minScale), animation: false});
    showNode(id);
    return true;
  }

  var searchBox = document.getElementById("hkg-search");
  var results = document.getElementById("hkg-results");

  function search(query) {
    var found = rank(query).filter(function (entry) { return !nodeSet.get(entry.id).hidden; });
    results.replaceChildren();
    found.slice(0, 8).forEach(function (entry, i) {
      var b = button(entry.label, i === 0 ? "hkg-current" : "", function () { selectEntity(entry.id); });
      b.appendChild(el("span", entry.curie, "hkg-curie"));
      var li = el("li");
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length) { selectEntity(found[0].id); return found[0].id; }
    if (query.trim()) { results.appendChild(el("li", "no match", "hkg-hint")); }
    network.unselectAll();
    return null;
  }

  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { search(searchBox.value); } });

  // ------------------------------------------------------------------ summary and readiness
  document.getElementById("hkg-summary").textContent = config.summary;
  var notes = document.getElementById("hkg-notes");
  config.notes.forEach(function (note) { notes.appendChild(el("p", note, "hkg-notes")); });
  if (state.path !== null) { showPath(state.path); } else { clearPanel(); }

  network.once("afterDrawing", function () {
    startView();
    network.once("afterDrawing", function () {
      window.hkgReady = true;
      document.body.setAttribute("data-hkg-ready", "1");
    });
    network.redraw();
  });
  network.redraw();

  window.hkg = {
    network: network, nodes: nodeSet, edges: edgeSet, config: config, search: search, selectEntity: selectEntity,
    showNode: showNode, showEdge: showEdge, showPath: showPath, selectPath: selectPath, startView: startView,
    applyFilters: applyFilters,
    visibleCounts: function () {
      return {
        nodes: nodeSet.get({filter: function (n) { return !n.hidden; }}).length,
        edges: edgeSet.get({filter: function (e) { return !e.hidden; }}).length
      };
    }
  };
}
