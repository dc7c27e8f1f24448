// The escalation drafts (plain text to paste into mail) and the table of evidence sources with
// their hashes and every problem met while reading them.
(function (A) {
  'use strict';
  const { el, t, arr, obj, str, num } = A;

  // navigator.clipboard needs a secure context and permission; a report opened from a file share or
  // in a locked-down browser may have neither, so the old selection-based copy is the fallback.
  async function copyText(text, pre) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (_) {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      try {
        return document.execCommand('copy');
      } catch (__) {
        return false;
      }
    }
  }

  function draft(id, title, text) {
    const pre = el('pre', { id: 'draft-' + id, class: 'draft', text: text || t('escalation.none') });
    const feedback = el('span', { class: 'copy-feedback', role: 'status' });
    const button = el('button', { type: 'button', class: 'copy no-print', 'data-copy': id, text: t('escalation.copy'), disabled: !text });
    button.addEventListener('click', async () => {
      const ok = await copyText(text, pre);
      feedback.textContent = ok ? t('escalation.copied') : t('escalation.copyFailed');
      setTimeout(() => (feedback.textContent = ''), 4000);
    });
    return el('div', { class: 'draft-box' }, el('div', { class: 'draft-head' }, el('h3', { text: title }), button, feedback), pre);
  }

  A.renderEscalation = function (data) {
    const e = obj(data.escalation);
    A.clear(A.section('escalation-body')).append(
      draft('jpcert', t('escalation.jpcert'), str(e.jpcert)),
      draft('management', t('escalation.management'), str(e.management)));
  };

  A.renderSources = function (data) {
    const root = A.clear(A.section('sources-body'));
    const rows = arr(data.sources).map(obj);
    if (rows.length === 0) return root.appendChild(A.empty(t('sources.none')));
    // Unreadable: no format recognised, or errors and not one event read (as the case analysis
    // counts them). Warnings alone do not make a file unreadable.
    const bad = (s) => str(s.format) === '' || (num(s.events) === 0 && num(s.problems) > 0);
    const n = (key) => (s) => A.formatNumber(num(s[key]));
    const view = A.table([
      {
        key: 'path', label: t('sources.path'), sort: (s) => str(s.path), cls: 'path',
        cell: (s) => [el('code', { text: str(s.path) }), bad(s) ? [' ', A.badge('unreadable', t('sources.unreadable'))] : null],
      },
      { key: 'format', label: t('sources.format'), cell: (s) => str(s.format), sort: (s) => str(s.format) },
      {
        key: 'size', label: t('sources.size'), sort: (s) => num(s.size), cls: 'n',
        cell: (s) => el('span', { title: A.formatNumber(s.size) + ' B', text: A.formatSize(s.size) }),
      },
      { key: 'events', label: t('sources.events'), cell: n('events'), sort: (s) => num(s.events), cls: 'n' },
      { key: 'bad', label: t('sources.bad'), cell: n('bad_records'), sort: (s) => num(s.bad_records), cls: 'n' },
      { key: 'problems', label: t('sources.problems'), cell: n('problems'), sort: (s) => num(s.problems), cls: 'n' },
      { key: 'first', label: t('sources.first'), cell: (s) => A.timeCell(s.first), sort: (s) => A.timeSort(s.first), cls: 'nowrap' },
      { key: 'last', label: t('sources.last'), cell: (s) => A.timeCell(s.last), sort: (s) => A.timeSort(s.last), cls: 'nowrap' },
      { key: 'errors', label: t('sources.errors'), cell: (s) => str(s.errors), sort: (s) => (bad(s) ? 0 : 1), cls: 'errors' },
      {
        key: 'sha256', label: t('sources.sha256'), sort: (s) => str(s.sha256), cls: 'hash',
        cell: (s) => el('code', { class: 'hash', text: str(s.sha256) }),
      },
    ], rows, {
      cls: 'sources',
      rowClass: (s) => (bad(s) ? 'unreadable-row' : num(s.bad_records) + num(s.problems) > 0 ? 'problem-row' : null),
    });
    view.table.id = 'sources-table';
    root.appendChild(A.scroller(view.table));
  };
})((window.ashiato = window.ashiato || {}));
