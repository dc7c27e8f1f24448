// Executive summary: the headline, the big numbers and the first-response checklist, which are
// what management and the first responder read before anything else.
(function (A) {
  'use strict';
  const { el, t, arr, obj, str, num } = A;

  function metric(key, label, value, display, cls) {
    return el('div', { class: 'metric ' + (cls || ''), 'data-metric': key, 'data-value': value },
      el('div', { class: 'metric-value', text: display }), el('div', { class: 'metric-label', text: label }));
  }

  function count(key, label, value, alertIfPositive) {
    const v = num(value);
    return metric(key, label, v, A.formatNumber(v), alertIfPositive && v > 0 ? 'alert' : '');
  }

  function inline(key, value, cls) {
    return el('span', { 'data-metric': key, 'data-value': num(value), class: cls || null, text: A.formatNumber(num(value)) });
  }

  function timeMetric(key, label, iso) {
    return el('div', { class: 'metric time', 'data-metric': key, 'data-value': str(iso) },
      el('div', { class: 'metric-value' }, A.timeCell(iso)), el('div', { class: 'metric-label', text: label }));
  }

  A.renderHeader = function (data) {
    const s = obj(data.summary);
    const c = obj(data.case);
    const headline = str(s.headline);
    document.title = (headline ? headline + ' — ' : '') + t('title');
    const header = A.section('report-header');
    A.clear(header);
    A.append(header, [
      el('div', { class: 'kicker', text: t('title') }),
      el('h1', { id: 'headline', text: headline || t('title') }),
      el('p', { class: 'meta' },
        t('summary.generated') + ': ', A.timeCell(data.generated),
        ' · ' + t('summary.caseDir') + ': ', el('code', { text: str(c.dir) }),
        c.runs != null ? ' (' + A.formatNumber(c.runs) + ' ' + t('summary.runs') + ')' : '',
        ' · ' + t('summary.zone') + ': ', el('strong', { text: A.zoneName })),
    ]);
  };

  A.renderSummary = function (data) {
    const s = obj(data.summary);
    const root = A.clear(A.section('summary-body'));
    const ongoing = s.ongoing === true;
    root.appendChild(el('div', { class: 'ongoing ' + (ongoing ? 'yes' : 'no'), 'data-metric': 'ongoing', 'data-value': String(ongoing) },
      el('strong', { text: t('summary.ongoing') + ' ' + (ongoing ? t('summary.ongoingYesShort') : t('summary.ongoingNoShort')) }),
      ' — ' + (ongoing ? t('summary.ongoingYes') : t('summary.ongoingNo'))));

    root.appendChild(el('div', { class: 'metrics' },
      count('infected_hosts', t('summary.infected'), s.infected_hosts, true),
      count('suspect_hosts', t('summary.suspect'), s.suspect_hosts, true),
      count('similar_hosts', t('summary.similar'), s.similar_hosts, true),
      count('candidates', t('summary.candidates'), s.candidates, true),
      count('c2_destinations', t('summary.c2'), s.c2_destinations, true),
      count('admin_accounts_on_infected', t('summary.admins'), s.admin_accounts_on_infected, true),
      timeMetric('first_c2_contact', t('summary.firstC2'), s.first_c2_contact),
      timeMetric('last_c2_contact', t('summary.lastC2'), s.last_c2_contact)));

    const det = obj(s.detections);
    const max = Math.max(1, ...A.LEVELS.map((l) => num(det[l])));
    root.appendChild(el('div', { class: 'levels' },
      el('h3', { text: t('summary.detections') }),
      A.LEVELS.map((l) => el('div', { class: 'level-row', 'data-metric': 'detections.' + l, 'data-value': num(det[l]) },
        el('span', { class: 'level-name' }, A.levelBadge(l)),
        el('span', { class: 'bar' }, el('span', { class: 'fill level-' + l, style: 'width:' + (100 * num(det[l])) / max + '%' })),
        el('span', { class: 'level-count', text: A.formatNumber(num(det[l])) })))));

    const unreadable = num(s.unreadable_sources);
    root.appendChild(el('div', { class: 'window' },
      el('h3', { text: t('summary.window') }),
      el('p', {}, A.timeCell(s.evidence_from), ' – ', A.timeCell(s.evidence_to)),
      el('p', {},
        inline('events', s.events), ' ' + t('summary.events') + ' · ',
        inline('sources', s.sources), ' ' + t('summary.sources') + ' · ',
        inline('unreadable_sources', unreadable, unreadable > 0 ? 'warn' : ''), ' ' + t('summary.unreadable'))));

    // Unreadable evidence is named on the first screen: a clean-looking report built from half the
    // logs must not be mistaken for a clean network.
    // Files that gave nothing: no format recognised, or errors and not one event (as the case
    // analysis counts unreadable sources). A file read with a warning (a bad checksum on data that
    // still parsed) or a few bad lines is not one; the Evidence section shows those.
    const broken = arr(data.sources).map(obj).filter((src) => str(src.format) === '' || (num(src.events) === 0 && num(src.problems) > 0));
    if (broken.length > 0) {
      root.appendChild(el('div', { class: 'warning', role: 'alert' },
        el('strong', { text: t('summary.unreadableWarn') }),
        el('ul', {}, broken.map((src) => el('li', {}, el('code', { text: str(src.path) }), ': ' + str(src.errors))))));
    }
  };

  A.renderChecklist = function (data) {
    const root = A.clear(A.section('checklist-body'));
    const items = arr(data.checklist).map(obj).slice().sort((a, b) => num(a.priority) - num(b.priority));
    if (items.length === 0) return root.appendChild(A.empty(t('checklist.none')));
    root.appendChild(el('ol', { class: 'checklist' }, items.map((c) => {
      const p = num(c.priority);
      return el('li', { class: 'check priority-' + Math.min(Math.max(p, 1), 3), 'data-id': str(c.id) },
        el('label', { class: 'check-title' },
          el('input', { type: 'checkbox' }),
          el('span', { class: 'badge priority', title: t('checklist.priority'), text: 'P' + p }),
          el('strong', { text: str(c.title) })),
        c.text ? el('p', { text: str(c.text) }) : null,
        arr(c.items).length
          ? el('ul', { class: 'check-items' }, arr(c.items).map((x) => el('li', {}, el('code', { text: str(x) }))))
          : null);
    })));
  };
})((window.ashiato = window.ashiato || {}));
