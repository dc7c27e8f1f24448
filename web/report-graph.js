// The graph of hosts, users and C2 destinations, drawn with cytoscape. Clicking a node filters the
// timeline to that host, user or destination.
(function (A) {
  'use strict';
  const { el, t, arr, obj, str, num } = A;

  const COLOURS = {
    infected: '#dc2626', suspect: '#f59e0b', host: '#64748b', user: '#2563eb', admin: '#7c3aed',
    c2: '#111827', c2Edge: '#dc2626', logon: '#2563eb', other: '#94a3b8',
  };

  const STYLE = [
    { selector: 'node', style: {
      label: 'data(label)', 'font-size': 14, 'text-valign': 'bottom', 'text-margin-y': 4, 'text-wrap': 'ellipsis',
      'text-max-width': 160, width: 26, height: 26, 'background-color': COLOURS.host, color: '#111827',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': 1 } },
    { selector: 'node[kind = "host"]', style: { shape: 'round-rectangle' } },
    { selector: 'node[status = "infected"]', style: { 'background-color': COLOURS.infected, width: 34, height: 34 } },
    { selector: 'node[status = "suspect"]', style: { 'background-color': COLOURS.suspect, width: 30, height: 30 } },
    { selector: 'node[kind = "user"]', style: { shape: 'ellipse', 'background-color': COLOURS.user } },
    { selector: 'node[kind = "user"][?admin]', style: { 'background-color': COLOURS.admin, 'border-width': 4, 'border-color': '#f59e0b' } },
    { selector: 'node[kind = "c2"]', style: {
      shape: 'diamond', 'background-color': COLOURS.c2, 'border-width': 3, 'border-color': COLOURS.infected, width: 32, height: 32 } },
    { selector: 'edge', style: {
      width: 'data(width)', 'line-color': COLOURS.other, 'target-arrow-color': COLOURS.other, 'target-arrow-shape': 'triangle',
      'curve-style': 'bezier', 'arrow-scale': 0.8, label: 'data(countLabel)', 'font-size': 11, color: '#475569',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
    { selector: 'edge[kind = "c2"]', style: { 'line-color': COLOURS.c2Edge, 'target-arrow-color': COLOURS.c2Edge } },
    { selector: 'edge[kind = "logon"]', style: {
      'line-color': COLOURS.logon, 'target-arrow-color': COLOURS.logon, 'line-style': 'dashed' } },
    { selector: 'node:selected', style: { 'overlay-color': '#fde047', 'overlay-opacity': 0.45, 'overlay-padding': 6 } },
  ];

  // Nodes with duplicate ids and edges to unknown nodes are dropped: cytoscape throws on them, and a
  // malformed graph must not take the rest of the report down.
  function elements(graph) {
    const ids = new Set();
    const nodes = [];
    for (const n of arr(graph.nodes).map(obj)) {
      const id = str(n.id);
      if (id === '' || ids.has(id)) continue;
      ids.add(id);
      nodes.push(n);
    }
    // Start on a circle so that cose (randomize: false) lays out the same way on every opening.
    const r = 60 + nodes.length * 12;
    const out = nodes.map((n, i) => ({
      group: 'nodes',
      data: { id: str(n.id), label: str(n.label) || str(n.id), kind: str(n.kind), status: str(n.status), admin: n.admin === true },
      position: { x: r * Math.cos((2 * Math.PI * i) / nodes.length), y: r * Math.sin((2 * Math.PI * i) / nodes.length) },
    }));
    arr(graph.edges).map(obj).forEach((e, i) => {
      if (!ids.has(str(e.source)) || !ids.has(str(e.target))) return;
      const count = num(e.count);
      out.push({ group: 'edges', data: {
        id: 'edge-' + i, source: str(e.source), target: str(e.target), kind: str(e.kind), count,
        countLabel: count > 1 ? A.formatNumber(count) : '', width: Math.min(8, 1.5 + Math.log2(1 + Math.max(0, count)) / 2),
      } });
    });
    return out;
  }

  function layout(name) {
    return name === 'breadthfirst'
      ? { name: 'breadthfirst', directed: true, spacingFactor: 1.2, animate: false, fit: true, padding: 30 }
      : { name: 'cose', randomize: false, animate: false, fit: true, padding: 30, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: () => 16000, idealEdgeLength: () => 60, nodeOverlap: 20, componentSpacing: 60, gravity: 1.2 };
  }

  function legend() {
    const item = (cls, colour, text) =>
      el('span', { class: 'legend-item' }, el('span', { class: 'swatch ' + cls, style: 'background:' + colour }), text);
    return el('div', { class: 'legend' },
      item('box', COLOURS.infected, t('graph.legendInfected')), item('box', COLOURS.suspect, t('graph.legendSuspect')),
      item('box', COLOURS.host, t('graph.legendHost')), item('dot', COLOURS.user, t('graph.legendUser')),
      item('dot', COLOURS.admin, t('graph.legendAdmin')), item('diamond', COLOURS.c2, t('graph.legendC2')),
      item('line', COLOURS.c2Edge, t('graph.legendC2Edge')), item('line dashed', COLOURS.logon, t('graph.legendLogon')));
  }

  // Canvas does not print reliably; a PNG of the whole graph replaces it while printing.
  function printable(cy, container) {
    let img = null;
    window.addEventListener('beforeprint', () => {
      img = el('img', { class: 'graph-print', alt: t('graph.title'), src: cy.png({ full: true, scale: 2, bg: '#ffffff' }) });
      container.after(img);
    });
    window.addEventListener('afterprint', () => {
      if (img) img.remove();
      img = null;
    });
  }

  A.renderGraph = function (data) {
    const root = A.clear(A.section('graph-body'));
    const els = elements(obj(data.graph));
    if (!els.some((e) => e.group === 'nodes')) return root.appendChild(A.empty(t('graph.none')));
    if (typeof window.cytoscape !== 'function') throw new Error('cytoscape is not loaded');

    const choose = el('select', { id: 'graph-layout' }, el('option', { value: 'cose', text: 'cose' }),
      el('option', { value: 'breadthfirst', text: 'breadthfirst' }));
    const fit = el('button', { type: 'button', id: 'graph-fit', text: t('graph.fit') });
    const status = el('span', { id: 'graph-status', class: 'count' });
    const container = el('div', { id: 'graph-canvas', role: 'img', 'aria-label': t('graph.title') });
    root.append(el('div', { class: 'graph-tools no-print' },
      el('label', { class: 'filter' }, el('span', { text: t('graph.layout') }), choose), fit,
      el('span', { class: 'hint', text: t('graph.hint') }), status),
      container, legend());

    const cy = window.cytoscape({
      container, elements: els, style: STYLE, layout: layout('cose'), minZoom: 0.1, maxZoom: 5, boxSelectionEnabled: false,
    });
    window.ashiatoGraph = cy;
    choose.addEventListener('change', () => cy.layout(layout(choose.value)).run());
    fit.addEventListener('click', () => cy.fit(undefined, 30));

    cy.on('tap', 'node', (evt) => {
      const d = evt.target.data();
      const filter = { host: '', user: '', text: '' };
      if (d.kind === 'host') filter.host = d.label;
      else if (d.kind === 'user') filter.user = d.label;
      else filter.text = d.label;
      A.filterTimeline(filter);
    });
    // Tells which node the timeline is filtered to, with a link down to it.
    A.onTimelineFilter = (f, shown) => {
      const what = f.host || f.user || f.text;
      A.clear(status);
      if (what) status.append(t('nav.timeline') + ': ', el('code', { text: what }), ' (' + A.formatNumber(shown) + ') ',
        el('a', { href: '#timeline', text: '↓' }));
    };
    printable(cy, container);
  };
})((window.ashiato = window.ashiato || {}));
