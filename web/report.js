// Entry point: reads the report embedded in the page and draws every section. Each section is
// drawn on its own, so a malformed part of the JSON costs that section, not the whole report.
(function (A) {
  'use strict';
  const { el, t } = A;

  const SECTIONS = [
    ['summary', A.renderSummary],
    ['hosts', A.renderHosts],
    ['checklist', A.renderChecklist],
    ['graph', A.renderGraph],
    ['timeline', A.renderTimeline],
    ['c2', A.renderC2],
    ['similar', A.renderSimilar],
    ['accounts', A.renderAccounts],
    ['detections', A.renderDetections],
    ['escalation', A.renderEscalation],
    ['sources', A.renderSources],
  ];

  const HEADINGS = {
    summary: 'nav.summary', hosts: 'hosts.title', checklist: 'checklist.title', graph: 'graph.title',
    timeline: 'timeline.title', c2: 'c2.title', similar: 'similar.title', accounts: 'accounts.title', detections: 'detections.title',
    escalation: 'escalation.title', sources: 'sources.title',
  };

  function fatal(message) {
    const main = A.clear(document.getElementById('report'));
    main.appendChild(el('p', { class: 'warning', role: 'alert', text: message }));
  }

  function readData() {
    const node = document.getElementById('report-data');
    const text = node ? node.textContent.trim() : '';
    // The template opened as is (not through ashiato) still holds the placeholder.
    if (text === '' || text.startsWith('@')) return null;
    return JSON.parse(text);
  }

  function labelPage() {
    document.documentElement.lang = A.lang;
    for (const [id, key] of Object.entries(HEADINGS)) {
      const h = document.querySelector('#' + id + ' > h2');
      if (h) h.textContent = t(key);
    }
    const nav = A.clear(document.getElementById('nav'));
    for (const [id] of SECTIONS) nav.appendChild(el('a', { href: '#' + id, text: t('nav.' + id) }));
  }

  function main() {
    let data;
    try {
      data = readData();
    } catch (e) {
      fatal(t('badData') + e.message);
      console.error(e);
      return;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      fatal(t('noData'));
      return;
    }
    A.setLanguage(data.lang);
    A.setZone(data.display_zone);
    A.data = data;
    labelPage();
    A.renderHeader(data);
    for (const [id, render] of SECTIONS) {
      try {
        render(data);
      } catch (e) {
        const body = document.getElementById(id + '-body');
        if (body) A.clear(body).appendChild(el('p', { class: 'warning', text: t('sectionFailed') + e.message }));
        console.error(e);
      }
    }
    document.body.setAttribute('data-ready', 'true');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
  else main();
})((window.ashiato = window.ashiato || {}));
