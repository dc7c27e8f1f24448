// The tables of hosts, C2 destinations, accounts and detections.
(function (A) {
  'use strict';
  const { el, t, arr, obj, str, num } = A;

  const STATUS_ORDER = { infected: 0, suspect: 1, similar: 2, involved: 3 };
  const timeSort = (iso) => {
    const ms = A.parseTime(iso);
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  const codeList = (items) => arr(items).map((x, i) => [i ? ', ' : '', el('code', { text: str(x) })]);

  // report.json's reasons are English; other languages say the same from the candidates.
  function hostReason(h) {
    if (A.lang === 'en') return str(h.reason);
    const mine = arr(A.data && A.data.candidates).map(obj).filter((c) => arr(c.hosts).map(str).includes(str(h.name)));
    if (mine.length === 0) return str(h.reason);
    return mine.map((c) => t('similar.hostBefore') + str(c.destination) + t('similar.hostMiddle') + str(c.like) + t('similar.hostAfter')).join('、');
  }

  function place(id, rows, none, build) {
    const root = A.clear(A.section(id));
    if (rows.length === 0) root.appendChild(A.empty(none));
    else root.appendChild(A.scroller(build(rows).table));
  }

  // Infected, suspect and similar-communication hosts only: "involved" hosts (e.g. a server an
  // admin logged on to) are in the graph and the timeline, but this table is the isolation list.
  A.renderHosts = function (data) {
    const rows = arr(data.hosts).map(obj).filter((h) => ['infected', 'suspect', 'similar'].includes(h.status));
    place('hosts-body', rows, t('hosts.none'), (r) => A.table([
      { key: 'name', label: t('hosts.name'), cell: (h) => el('strong', { text: str(h.name) }), sort: (h) => str(h.name) },
      {
        key: 'status', label: t('hosts.status'),
        cell: (h) => [A.statusBadge(h.status), h.reason ? el('div', { class: 'hint', text: hostReason(h) }) : ''],
        sort: (h) => STATUS_ORDER[h.status] ?? 9,
      },
      { key: 'users', label: t('hosts.users'), cell: (h) => codeList(h.users), sort: (h) => A.list(h.users) },
      { key: 'addresses', label: t('hosts.addresses'), cell: (h) => codeList(h.addresses), sort: (h) => A.list(h.addresses) },
      { key: 'first_c2', label: t('hosts.firstC2'), cell: (h) => A.timeCell(h.first_c2), sort: (h) => timeSort(h.first_c2), cls: 'nowrap' },
      { key: 'last_c2', label: t('hosts.lastC2'), cell: (h) => A.timeCell(h.last_c2), sort: (h) => timeSort(h.last_c2), cls: 'nowrap' },
      { key: 'c2_hits', label: t('hosts.hits'), cell: (h) => A.formatNumber(h.c2_hits), sort: (h) => num(h.c2_hits), cls: 'n' },
      {
        key: 'detections', label: t('hosts.detections'), cell: (h) => A.formatNumber(h.detections), sort: (h) => num(h.detections),
        cls: 'n',
      },
    ], r, { cls: 'hosts', rowClass: (h) => 'status-row-' + (STATUS_ORDER[h.status] !== undefined ? h.status : 'unknown') }));
  };

  A.renderC2 = function (data) {
    const rows = arr(data.c2).map(obj);
    place('c2-body', rows, t('c2.none'), (r) => A.table([
      {
        key: 'indicator', label: t('c2.indicator'), cell: (c) => el('code', { class: 'ioc', text: str(c.indicator) }),
        sort: (c) => str(c.indicator),
      },
      { key: 'type', label: t('c2.type'), cell: (c) => str(c.type), sort: (c) => str(c.type) },
      { key: 'first', label: t('c2.first'), cell: (c) => A.timeCell(c.first), sort: (c) => timeSort(c.first), cls: 'nowrap' },
      { key: 'last', label: t('c2.last'), cell: (c) => A.timeCell(c.last), sort: (c) => timeSort(c.last), cls: 'nowrap' },
      { key: 'hits', label: t('c2.hits'), cell: (c) => A.formatNumber(c.hits), sort: (c) => num(c.hits), cls: 'n' },
      {
        key: 'bytes', label: t('c2.bytes'), cell: (c) => (c.bytes == null ? A.L.none : A.formatNumber(c.bytes)),
        sort: (c) => num(c.bytes), cls: 'n',
      },
      { key: 'hosts', label: t('c2.hosts'), cell: (c) => codeList(c.hosts), sort: (c) => arr(c.hosts).length },
      { key: 'source', label: t('c2.source'), cell: (c) => el('code', { text: str(c.source) }), sort: (c) => str(c.source) },
    ], r, { cls: 'c2' }));
  };

  A.renderAccounts = function (data) {
    const rows = arr(data.accounts).map(obj);
    place('accounts-body', rows, t('accounts.none'), (r) => A.table([
      { key: 'name', label: t('accounts.name'), cell: (a) => el('strong', { text: str(a.name) }), sort: (a) => str(a.name) },
      {
        key: 'admin', label: t('accounts.admin'), cell: (a) => (a.admin === true ? A.badge('admin', t('accounts.adminYes')) : ''),
        sort: (a) => (a.admin === true ? 0 : 1),
      },
      { key: 'hosts', label: t('accounts.hosts'), cell: (a) => codeList(a.hosts), sort: (a) => arr(a.hosts).length },
      {
        key: 'first', label: t('accounts.first'), cell: (a) => A.timeCell(a.first_seen), sort: (a) => timeSort(a.first_seen),
        cls: 'nowrap',
      },
      { key: 'last', label: t('accounts.last'), cell: (a) => A.timeCell(a.last_seen), sort: (a) => timeSort(a.last_seen), cls: 'nowrap' },
    ], r, { cls: 'accounts', rowClass: (a) => (a.admin === true ? 'admin-row' : null) }));
  };

  // Grouped by severity, most severe first; within a level the JSON's order (by count) is kept.
  A.renderDetections = function (data) {
    const root = A.clear(A.section('detections-body'));
    const rows = arr(data.detections).map(obj);
    if (rows.length === 0) return root.appendChild(A.empty(t('detections.none')));
    const levels = A.LEVELS.concat([...new Set(rows.map((d) => str(d.level)))].filter((l) => !A.LEVELS.includes(l)));
    for (const level of levels) {
      const group = rows.filter((d) => str(d.level) === level);
      if (group.length === 0) continue;
      root.appendChild(el('h3', { class: 'level-heading', 'data-level': level }, A.levelBadge(level), ' ', A.formatNumber(group.length)));
      root.appendChild(A.scroller(A.table([
        { key: 'title', label: t('detections.summary'), cell: (d) => str(d.title), sort: (d) => str(d.title) },
        { key: 'rule', label: t('detections.rule'), cell: (d) => el('code', { text: str(d.rule_id) }), sort: (d) => str(d.rule_id) },
        { key: 'count', label: t('detections.count'), cell: (d) => A.formatNumber(d.count), sort: (d) => num(d.count), cls: 'n' },
        { key: 'hosts', label: t('detections.hosts'), cell: (d) => codeList(d.hosts), sort: (d) => arr(d.hosts).length },
        { key: 'first', label: t('detections.first'), cell: (d) => A.timeCell(d.first), sort: (d) => timeSort(d.first), cls: 'nowrap' },
        { key: 'last', label: t('detections.last'), cell: (d) => A.timeCell(d.last), sort: (d) => timeSort(d.last), cls: 'nowrap' },
      ], group, { cls: 'detections' }).table));
    }
  };

  A.timeSort = timeSort;
})((window.ashiato = window.ashiato || {}));
