// Similar communications: the C2 candidates — destinations whose traffic looks like the confirmed
// C2's — with the features that matched, their hosts and a small histogram of the intervals
// between contacts (an implant's rhythm is one tall bar).
(function (A) {
  'use strict';
  const { el, t, arr, obj, str, num } = A;

  // Interval bins as report.json gives them (upper bounds; see docs/beacons.md).
  const BIN_LABELS = ['≤10s', '≤30s', '≤1m', '≤2m', '≤5m', '≤10m', '≤30m', '≤1h', '≤2h', '≤6h', '≤24h', '>24h'];

  function histogram(counts) {
    const values = arr(counts).map(num);
    const max = Math.max(1, ...values);
    const bars = el('div', { class: 'ihist', role: 'img', 'aria-label': t('similar.histogram') });
    values.forEach((v, i) => {
      const bar = el('span', { class: 'ihist-bar', title: (BIN_LABELS[i] || '') + ': ' + A.formatNumber(v) });
      bar.style.height = Math.round((v / max) * 100) + '%';
      bars.appendChild(bar);
    });
    return bars;
  }

  function features(c) {
    return arr(c.features).map(obj).map((f) => {
      const name = str(f.feature);
      const label = t('feature.' + name);
      const detail = str(f.detail);
      return el('span', { class: 'chip', title: A.formatNumber(Math.round(num(f.similarity) * 100)) + '%' },
        label, detail ? [' ', el('code', { text: detail })] : '');
    });
  }

  // The JSON's reason is English; other languages say the same from the structured fields.
  function reason(c) {
    if (A.lang === 'en') return str(c.reason);
    return t('similar.likeBefore') + str(c.like) + t('similar.likeAfter');
  }

  A.renderSimilar = function (data) {
    const root = A.clear(A.section('similar-body'));
    const rows = arr(data.candidates).map(obj);
    const confirmed = arr(data.c2).length > 0;
    if (rows.length === 0) {
      root.appendChild(A.empty(confirmed ? t('similar.none') : t('similar.noC2')));
      return;
    }
    root.appendChild(el('p', { class: 'hint', text: t('similar.hint') }));
    root.appendChild(A.scroller(A.table([
      {
        key: 'destination', label: t('similar.destination'), cell: (c) => el('code', { class: 'ioc', text: str(c.destination) }),
        sort: (c) => str(c.destination),
      },
      { key: 'score', label: t('similar.score'), cell: (c) => num(c.score).toFixed(3), sort: (c) => -num(c.score), cls: 'n' },
      { key: 'hosts', label: t('similar.hosts'), cell: (c) => arr(c.hosts).map((h, i) => [i ? ', ' : '', el('strong', { text: str(h) })]), sort: (c) => A.list(c.hosts) },
      { key: 'first', label: t('similar.first'), cell: (c) => A.timeCell(c.first), sort: (c) => A.timeSort(c.first), cls: 'nowrap' },
      { key: 'last', label: t('similar.last'), cell: (c) => A.timeCell(c.last), sort: (c) => A.timeSort(c.last), cls: 'nowrap' },
      { key: 'connections', label: t('similar.connections'), cell: (c) => A.formatNumber(c.connections), sort: (c) => num(c.connections), cls: 'n' },
      { key: 'rhythm', label: t('similar.histogram'), cell: (c) => histogram(c.interval_histogram), sort: (c) => num(c.interval_seconds) },
      { key: 'features', label: t('similar.features'), cell: features, sort: (c) => arr(c.features).length },
      { key: 'reason', label: t('similar.reason'), cell: reason, sort: (c) => str(c.like) },
      {
        key: 'decision', label: t('similar.decision'),
        cell: (c) => (str(c.decision) ? A.badge('decision-' + str(c.decision), t('decision.' + str(c.decision))) : t('decision.open')),
        sort: (c) => str(c.decision),
      },
    ], rows, { cls: 'candidates' }).table));
  };
})((window.ashiato = window.ashiato || {}));
