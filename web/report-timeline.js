// The timeline: sortable by any column, filtered by kind, level, host, user and free text. The
// graph drives the same filters (A.filterTimeline) when a node is clicked.
(function (A) {
  'use strict';
  const { el, t, arr, obj, str } = A;

  const filters = { kind: '', level: '', host: '', user: '', text: '' };
  const controls = {};
  let entries = [];
  let view = null;
  let countNode = null;

  function matches(e) {
    if (filters.kind && str(e.kind) !== filters.kind) return false;
    if (filters.level && str(e.level) !== filters.level) return false;
    if (filters.host && str(e.host) !== filters.host) return false;
    if (filters.user && str(e.user) !== filters.user) return false;
    if (filters.text) {
      const hay = [e.time, A.formatTime(e.time), e.kind, e.level, e.title, e.host, e.user, e.details, e.evidence]
        .map(str).join('\n').toLowerCase();
      if (!hay.includes(filters.text.toLowerCase())) return false;
    }
    return true;
  }

  function refresh() {
    const shown = entries.filter(matches);
    view.render(shown);
    countNode.textContent = A.lang === 'ja'
      ? A.formatNumber(entries.length) + ' ' + t('timeline.of') + ' ' + A.formatNumber(shown.length) + ' ' + t('timeline.shown')
      : A.formatNumber(shown.length) + ' ' + t('timeline.of') + ' ' + A.formatNumber(entries.length) + ' ' + t('timeline.shown');
    countNode.setAttribute('data-shown', String(shown.length));
    document.getElementById('timeline-empty').hidden = shown.length > 0;
    for (const [k, c] of Object.entries(controls)) c.value = filters[k];
    if (A.onTimelineFilter) A.onTimelineFilter(filters, shown.length);
  }

  function select(key, label, values, display) {
    const s = el('select', { id: 'filter-' + key, 'data-filter': key },
      el('option', { value: '', text: t('timeline.all') }),
      values.map((v) => el('option', { value: v, text: display ? display(v) : v })));
    s.addEventListener('change', () => {
      filters[key] = s.value;
      refresh();
    });
    controls[key] = s;
    return el('label', { class: 'filter' }, el('span', { text: label }), s);
  }

  // Adds an option for a value that only the graph knows (a host without timeline entries), so
  // that the select can show what the timeline is filtered by.
  function ensureOption(key, value) {
    const s = controls[key];
    if (!s || value === '' || [...s.options].some((o) => o.value === value)) return;
    s.appendChild(el('option', { value, text: value }));
  }

  // Sets the given filters (others keep their value) and redraws.
  A.filterTimeline = function (changes) {
    for (const [k, v] of Object.entries(changes)) {
      if (!(k in filters)) continue;
      filters[k] = str(v);
      ensureOption(k, filters[k]);
    }
    refresh();
  };

  A.renderTimeline = function (data) {
    const root = A.clear(A.section('timeline-body'));
    entries = arr(data.timeline).map(obj);
    const distinct = (key) => [...new Set(entries.map((e) => str(e[key])).filter((v) => v !== ''))].sort();
    const levels = distinct('level').sort((a, b) => (A.LEVELS.indexOf(a) + 1 || 99) - (A.LEVELS.indexOf(b) + 1 || 99));
    const label = (group) => (v) => (A.t(group + '.' + v) === group + '.' + v ? v : A.t(group + '.' + v));

    const text = el('input', { type: 'search', id: 'filter-text', placeholder: t('timeline.filterPlaceholder'), 'data-filter': 'text' });
    text.addEventListener('input', () => {
      filters.text = text.value;
      refresh();
    });
    controls.text = text;
    const clearButton = el('button', { type: 'button', id: 'filter-clear', class: 'no-print', text: t('timeline.clear') });
    clearButton.addEventListener('click', () => A.filterTimeline({ kind: '', level: '', host: '', user: '', text: '' }));
    countNode = el('span', { id: 'timeline-count', class: 'count' });

    root.appendChild(el('div', { class: 'filters no-print' },
      select('kind', t('timeline.kind'), distinct('kind'), label('kind')),
      select('level', t('timeline.level'), levels, label('level')),
      select('host', t('timeline.host'), distinct('host')),
      select('user', t('timeline.user'), distinct('user')),
      el('label', { class: 'filter grow' }, el('span', { text: t('timeline.filter') }), text),
      clearButton, countNode));

    view = A.table([
      { key: 'time', label: t('timeline.time'), cell: (e) => A.timeCell(e.time), sort: (e) => A.timeSort(e.time), cls: 'nowrap' },
      {
        key: 'level', label: t('timeline.level'), cell: (e) => A.levelBadge(e.level),
        sort: (e) => A.LEVELS.indexOf(str(e.level)) + 1 || 99,
      },
      { key: 'kind', label: t('timeline.kind'), cell: (e) => label('kind')(str(e.kind)), sort: (e) => str(e.kind), cls: 'nowrap' },
      { key: 'title', label: t('timeline.summary'), cell: (e) => str(e.title), sort: (e) => str(e.title) },
      { key: 'host', label: t('timeline.host'), cell: (e) => el('code', { text: str(e.host) }), sort: (e) => str(e.host), cls: 'host' },
      { key: 'user', label: t('timeline.user'), cell: (e) => el('code', { text: str(e.user) }), sort: (e) => str(e.user), cls: 'user' },
      { key: 'details', label: t('timeline.details'), cell: (e) => str(e.details), sort: (e) => str(e.details), cls: 'details' },
      {
        key: 'evidence', label: t('timeline.evidence'), cell: (e) => el('code', { text: str(e.evidence) }),
        sort: (e) => str(e.evidence), cls: 'evidence',
      },
    ], entries, {
      cls: 'timeline', sortKey: 'time',
      rowClass: (e) => 'level-row-' + (A.LEVELS.includes(str(e.level)) ? e.level : 'unknown'),
    });
    view.table.id = 'timeline-table';
    root.appendChild(A.scroller(view.table));
    root.appendChild(el('p', { id: 'timeline-empty', class: 'empty', hidden: true, text: t('timeline.none') }));
    if (entries.length >= 2000) root.appendChild(el('p', { class: 'note', text: t('timeline.truncated') }));
    refresh();
  };
})((window.ashiato = window.ashiato || {}));
