// hormone-kg interactive view: search, filters, tooltips and details panel.
// Every text that comes from the graph is inserted with textContent (never innerHTML): labels,
// synonyms and evidence are data, not markup. Called once by the page right after the network exists.
"use strict";

function hkgInit(network) {
  var config = JSON.parse(document.getElementById("hkg-config").textContent);
  var nodeSet = nodes;  // vis.DataSet built by the pyvis template
  var edgeSet = edges;
  var hiddenCategories = {};
  var hiddenContexts = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
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
    var head = (e.negated ? "NOT: " : "") + e.subjectLabel + " " + e.predicateLabel + " " + e.objectLabel;
    div.appendChild(el("div", head, "hkg-tip-title"));
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
    panel.replaceChildren(el("p", "Click a node or an edge (or search) to see its details.", "hkg-hint"));
  }

  function row(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join(", ") : String(value); }
    dl.appendChild(dd);
  }

  function showNode(id) {
    var n = nodeSet.get(id);
    if (!n) { return false; }
    var title = el("h2", n.label);
    title.id = "hkg-panel-title";
    var dl = el("dl");
    row(dl, "CURIE", resolverLink(n.curie));
    row(dl, "Category", n.category);
    row(dl, "Synonyms", n.synonyms);
    row(dl, "Abbreviations", n.abbreviations);
    row(dl, "Description", n.description);
    var ids = network.getConnectedEdges(id).slice().sort();
    if (ids.length) {
      var ul = el("ul");
      ids.forEach(function (eid) {
        var e = edgeSet.get(eid);
        var b = el("button", (e.negated ? "NOT: " : "") + e.subjectLabel + " " + e.predicateLabel + " " + e.objectLabel,
          "hkg-link");
        b.addEventListener("click", function () { network.selectEdges([eid]); showEdge(eid); });
        var li = el("li");
        li.appendChild(b);
        ul.appendChild(li);
      });
      row(dl, "Statements (" + ids.length + ")", ul);
    }
    panel.replaceChildren(title, dl);
    return true;
  }

  function showEdge(id) {
    var e = edgeSet.get(id);
    if (!e) { return false; }
    var title = el("h2", (e.negated ? "NOT: " : "") + e.subjectLabel + " " + e.predicateLabel + " " + e.objectLabel);
    title.id = "hkg-panel-title";
    var dl = el("dl");
    row(dl, "Statement", e.statement);
    row(dl, "Predicate", e.predicateLabel + " (" + e.predicate + ")");
    row(dl, "Sign", e.signWord + (e.negated ? " \u2014 asserted NOT to hold (never a causal edge)" : ""));
    row(dl, "Context", e.context);
    row(dl, "Magnitude", e.magnitude);
    row(dl, "Reaction", e.reaction);
    if (e.evidence.length) {
      var box = el("div");
      e.evidence.forEach(function (ev) {
        box.appendChild(el("blockquote", ev.text));
        box.appendChild(el("div", "\u2014 " + ev.citation, "hkg-cite"));
      });
      row(dl, "Evidence", box);
    }
    var ul = el("ul");
    e.sources.forEach(function (s, i) {
      var li = el("li");
      li.appendChild(el("span", e.citations[i] + " "));
      li.appendChild(resolverLink(s));
      ul.appendChild(li);
    });
    row(dl, "Citations", ul);
    row(dl, "Evidence type", e.evidenceType);
    row(dl, "Curator note", e.note);
    row(dl, "On a highlighted path", e.highlighted ? "yes" : "");
    panel.replaceChildren(title, dl);
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { clearPanel(); }
  });

  // ------------------------------------------------------------------ filters
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
      var hide = !!hiddenContexts[e.contextKey] || !!hiddenNodes[e.from] || !!hiddenNodes[e.to];
      if (!!e.hidden !== hide) { edgeUpdates.push({id: e.id, hidden: hide}); }
    });
    if (nodeUpdates.length) { nodeSet.update(nodeUpdates); }
    if (edgeUpdates.length) { edgeSet.update(edgeUpdates); }
  }

  function swatch(color, shape) {
    var s = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    s.setAttribute("width", "14");
    s.setAttribute("height", "14");
    s.setAttribute("viewBox", "0 0 18 18");
    var p = document.createElementNS("http://www.w3.org/2000/svg", "polygon");  // fixed geometry
    p.setAttribute("points", config.shapes[shape] || config.shapes.dot);
    p.setAttribute("fill", color);
    p.setAttribute("stroke", "#333");
    p.setAttribute("stroke-width", "1");
    s.appendChild(p);
    return s;
  }

  function filterList(containerId, items, hiddenMap, keyName) {
    var box = document.getElementById(containerId);
    var actions = el("div", null, "hkg-filter-actions");
    var all = el("button", "all");
    var none = el("button", "none");
    actions.appendChild(all);
    actions.appendChild(none);
    box.appendChild(actions);
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
      if (item.color) { label.appendChild(swatch(item.color, item.shape)); }
      label.appendChild(el("span", item.text));
      label.appendChild(el("span", item.count, "hkg-count"));
      box.appendChild(label);
    });
    function setAll(on) {
      inputs.forEach(function (input) {
        input.checked = on;
        if (on) { delete hiddenMap[input.dataset[keyName]]; } else { hiddenMap[input.dataset[keyName]] = true; }
      });
      applyFilters();
    }
    all.addEventListener("click", function () { setAll(true); });
    none.addEventListener("click", function () { setAll(false); });
  }

  filterList("hkg-categories", config.categories, hiddenCategories, "category");
  filterList("hkg-contexts", config.contexts, hiddenContexts, "context");

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
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showNode(id);
    return true;
  }

  var searchBox = document.getElementById("hkg-search");
  var results = document.getElementById("hkg-results");

  function search(query) {
    var found = rank(query).filter(function (entry) { return !nodeSet.get(entry.id).hidden; });
    results.replaceChildren();
    found.slice(0, 8).forEach(function (entry, i) {
      var b = el("button", entry.label, i === 0 ? "hkg-current" : "");
      b.appendChild(el("span", entry.curie, "hkg-curie"));
      b.addEventListener("click", function () { selectEntity(entry.id); });
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
  clearPanel();

  function markReady() {
    network.once("afterDrawing", function () {
      window.hkgReady = true;
      document.body.setAttribute("data-hkg-ready", "1");
    });
    network.redraw();
  }

  if (config.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      // pyvis fades its loading bar out and removes it 500 ms later; until then the transparent bar would
      // still take the mouse (no hover, no click on the graph): remove it now
      var bar = document.getElementById("loadingBar");
      if (bar) { bar.style.display = "none"; }
      markReady();
    });
  } else {
    markReady();
  }

  window.hkg = {
    network: network, nodes: nodeSet, edges: edgeSet, config: config, search: search, selectEntity: selectEntity,
    showNode: showNode, showEdge: showEdge, applyFilters: applyFilters,
    visibleCounts: function () {
      return {
        nodes: nodeSet.get({filter: function (n) { return !n.hidden; }}).length,
        edges: edgeSet.get({filter: function (e) { return !e.hidden; }}).length
      };
    }
  };
}
