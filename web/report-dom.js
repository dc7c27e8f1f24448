// DOM helpers. Every string from report.json comes from hostile logs, so text only ever reaches
// the page through textContent and setAttribute; nothing here parses HTML.
(function (A) {
  'use strict';

  // Defensive accessors: a field missing or of the wrong type in the JSON shows as empty instead
  // of breaking the whole page.
  A.arr = (x) => (Array.isArray(x) ? x : []);
  A.obj = (x) => (x && typeof x === 'object' && !Array.isArray(x) ? x : {});
  A.str = (x) => (x == null ? '' : String(x));
  A.num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : Number(x) || 0);

  // Bidirectional controls and invisible format characters make a value read as another one
  // ("\u202e710-CP" shows as "PC-017", the trick spoofed attachment names use), and control
  // characters hide text. They are shown as <U+XXXX> and the value is flagged as suspicious.
  const HIDDEN = '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u061c\\u115f\\u1160\\u17b4\\u17b5' +
    '\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff9-\\ufffb]';
  const hiddenOne = new RegExp(HIDDEN);
  const hiddenAll = new RegExp(HIDDEN, 'g');
  A.visible = (s) =>
    s.replace(hiddenAll, (c) => '<U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0') + '>');
  A.isDeceptive = (s) => hiddenOne.test(s);
  // A text node, or for a value with hidden characters a flagged span showing them.
  A.textNode = function (value) {
    const s = String(value);
    if (!hiddenOne.test(s)) return document.createTextNode(s);
    const span = document.createElement('span');
    span.className = 'deceptive';
    span.setAttribute('title', A.t('deceptive'));
    span.textContent = '\u26a0 ' + A.visible(s);
    return span;
  };

  // el('td', {class: 'n', title: s}, child, 'text', ...): children are nodes or strings (as text).
  A.el = function (tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') node.appendChild(A.textNode(v));
      else if (k === 'title') node.setAttribute(k, A.visible(String(v)));
      else if (k === 'onclick') node.addEventListener('click', v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    A.append(node, children);
    return node;
  };

  A.append = function (node, children) {
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      node.appendChild(typeof c === 'object' ? c : A.textNode(c));
    }
    return node;
  };

  A.clear = function (node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  };

  A.section = (id) => document.getElementById(id);

  A.badge = (cls, text) => A.el('span', { class: 'badge ' + cls, text });
  A.levelBadge = (level) => {
    const l = A.str(level);
    const known = A.LEVELS.includes(l);
    return A.badge('level-' + (known ? l : 'unknown'), known ? A.t('level.' + l) : l);
  };
  A.statusBadge = (status) => {
    const s = A.str(status);
    const known = ['infected', 'suspect', 'similar', 'involved'].includes(s);
    return A.badge('status-' + (known ? s : 'unknown'), known ? A.t('status.' + s) : s);
  };
  A.timeCell = (iso) => A.el('time', { datetime: A.str(iso) || null, title: A.str(iso) || null, text: A.formatTime(iso) });
  A.list = (items) => A.arr(items).map(A.str).join(', ');
  A.empty = (text) => A.el('p', { class: 'empty', text });

  // A sortable table. columns: [{key, label, cell(row) → node|string, sort(row) → number|string,
  // cls}]; clicking a header sorts by it, clicking again reverses. Returns {table, render(rows)}
  // so that filtered views (the timeline) can redraw the body without rebuilding the header.
  A.table = function (columns, rows, options) {
    const opts = options || {};
    const state = { key: opts.sortKey || null, dir: opts.sortDir || 1, rows: rows };
    const tbody = A.el('tbody');
    const headers = columns.map((c) =>
      A.el('th', { scope: 'col', class: c.cls, 'data-key': c.key, tabindex: c.sort ? 0 : null, 'aria-sort': 'none' }, c.label));
    const table = A.el('table', { class: 'data ' + (opts.cls || '') }, A.el('thead', {}, A.el('tr', {}, headers)), tbody);

    function compare(a, b) {
      if (typeof a === 'number' && typeof b === 'number') return a - b;
      return String(a).localeCompare(String(b));
    }

    function render(newRows) {
      if (newRows) state.rows = newRows;
      let list = state.rows.slice();
      const col = columns.find((c) => c.key === state.key);
      if (col && col.sort) {
        // Stable sort keeps the JSON's order (infected first, time order) among equal keys.
        list = list
          .map((r, i) => [r, i])
          .sort((x, y) => state.dir * compare(col.sort(x[0]), col.sort(y[0])) || x[1] - y[1])
          .map((x) => x[0]);
      }
      headers.forEach((h, i) => {
        const on = columns[i].key === state.key;
        h.setAttribute('aria-sort', on ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
      });
      A.clear(tbody);
      const frag = document.createDocumentFragment();
      for (const r of list) {
        const tr = A.el('tr', { class: opts.rowClass ? opts.rowClass(r) : null });
        for (const c of columns) tr.appendChild(A.el('td', { class: c.cls }, c.cell(r)));
        frag.appendChild(tr);
      }
      tbody.appendChild(frag);
    }

    headers.forEach((h, i) => {
      const c = columns[i];
      if (!c.sort) return;
      const activate = () => {
        state.dir = state.key === c.key ? -state.dir : 1;
        state.key = c.key;
        render();
      };
      h.addEventListener('click', activate);
      h.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          activate();
        }
      });
    });
    render();
    return { table, render, tbody };
  };

  // Wraps a wide table so that it scrolls sideways on screen instead of widening the page.
  A.scroller = (table) => A.el('div', { class: 'table-scroll' }, table);
})((window.ashiato = window.ashiato || {}));
