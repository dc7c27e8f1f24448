// Checks an ashiato report.html in headless Chromium against its report.json.
//
//   node tests/e2e/report_test.mjs REPORT.html REPORT.json [CASE_SUMMARY.json]
//
// CASE_SUMMARY.json holds the numbers the case store reports (an object with a `summary` member
// shaped like report.json's, or that shape at the top level); every number it has must be the one
// the page shows. Exits 1 listing every failed check; writes report.png next to REPORT.html.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];
const COUNTS = [
  'infected_hosts', 'suspect_hosts', 'similar_hosts', 'candidates', 'c2_destinations', 'admin_accounts_on_infected', 'sources',
  'unreadable_sources', 'events',
];

const [htmlPath, jsonPath, summaryPath] = process.argv.slice(2);
if (!htmlPath || !jsonPath) {
  console.error('usage: node report_test.mjs REPORT.html REPORT.json [CASE_SUMMARY.json]');
  process.exit(2);
}
const report = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
const caseSummary = summaryPath ? JSON.parse(fs.readFileSync(summaryPath, 'utf8')) : null;
// The hand-made fixture (report_browser.sh) must hold the hostile cases checked below.
const fixture = process.env.ASHIATO_REPORT_FIXTURE === '1';
const pageUrl = pathToFileURL(path.resolve(htmlPath)).href;

const failures = [];
function check(ok, what) {
  if (ok) console.log('ok   ' + what);
  else {
    console.log('FAIL ' + what);
    failures.push(what);
  }
}
function equal(got, want, what) {
  const [g, w] = [JSON.stringify(got), JSON.stringify(want)];
  check(g === w, g === w ? what : `${what}: got ${g}, want ${w}`);
}

// The time as the page must show it: in the display zone, with the zone written after it.
function displayTime(iso, zone) {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone || '');
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const d = new Date(Date.parse(iso) + offset * 60000);
  const p = (n) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
  const time = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return `${date} ${time} ${m ? m[1] + m[2] + ':' + m[3] : 'UTC'}`;
}

const digits = (text) => Number(String(text).replace(/[^0-9]/g, ''));
// The number a summary metric shows: its value part only, since labels hold digits too ("C2").
const metricNumber = (page, key) =>
  page.$eval(`[data-metric="${key}"]`, (m) => (m.querySelector('.metric-value') || m).textContent).then(digits);
const rowCount = (page, selector) => page.$$eval(selector, (rows) => rows.length);
const timelineHosts = (page) => page.$$eval('#timeline-table tbody tr td.host', (cells) => cells.map((c) => c.textContent));

async function checkSummary(page) {
  const s = report.summary || {};
  equal(await page.evaluate(() => document.documentElement.lang), report.lang === 'ja' ? 'ja' : 'en', 'page language follows the report');
  equal(await page.textContent('#headline'), s.headline, 'headline shown as text');
  for (const key of COUNTS) {
    equal(await metricNumber(page, key), s[key], `summary ${key} shown`);
  }
  for (const level of LEVELS) {
    const text = await page.textContent(`[data-metric="detections.${level}"] .level-count`);
    equal(digits(text), (s.detections || {})[level], `detections ${level} shown`);
  }
  equal(await page.getAttribute('[data-metric="ongoing"]', 'data-value'), String(s.ongoing === true), 'ongoing shown');
  for (const key of ['first_c2_contact', 'last_c2_contact']) {
    if (!s[key]) continue;
    const shown = (await page.textContent(`[data-metric="${key}"] .metric-value`)).trim();
    equal(shown, displayTime(s[key], report.display_zone), `${key} in the display zone`);
  }
  if (caseSummary) {
    const cs = caseSummary.summary || caseSummary;
    for (const key of COUNTS.filter((k) => typeof cs[k] === 'number')) {
      equal(await metricNumber(page, key), cs[key], `${key} equals the case summary`);
    }
    for (const level of LEVELS.filter((l) => typeof (cs.detections || {})[l] === 'number')) {
      const shown = digits(await page.textContent(`[data-metric="detections.${level}"] .level-count`));
      equal(shown, cs.detections[level], `detections ${level} equal the case summary`);
    }
  }
}

async function checkTables(page) {
  const hosts = (report.hosts || []).filter((h) => ['infected', 'suspect', 'similar'].includes(h.status));
  equal(await rowCount(page, '#hosts-body tbody tr'), hosts.length, 'infected, suspect and similar hosts listed');
  equal(await rowCount(page, '#similar-body tbody tr'), (report.candidates || []).length, 'every C2 candidate listed');
  for (const c of report.candidates || []) {
    const shown = await page.$$eval('#similar-body tbody tr td:first-child', (cells) => cells.map((x) => x.textContent));
    if (!shown.includes(c.destination)) throw new Error(`candidate ${c.destination} not shown: ${shown}`);
  }
  const names = await page.$$eval('#hosts-body tbody tr td:first-child', (c) => c.map((x) => x.textContent));
  // Names with direction-changing or invisible characters are shown as <U+XXXX> and flagged (⚠).
  const hidden = /[\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;
  const shownName = (n) =>
    hidden.test(n) ? '\u26a0 ' + n.replace(hidden, (c) => '<U+' + c.codePointAt(0).toString(16).toUpperCase() + '>') : n;
  equal(names, hosts.map((h) => shownName(h.name)), 'host names shown as text');
  const flagged = await page.$$eval('#hosts-body tbody tr td:first-child .deceptive', (c) => c.map((x) => x.textContent));
  equal(flagged, hosts.filter((h) => shownName(h.name) !== h.name).map((h) => shownName(h.name)),
    'look-alike host names flagged as suspicious');
  if (fixture) check(flagged.length > 0, 'the fixture has a look-alike host name');
  equal(await rowCount(page, '#c2-body tbody tr'), (report.c2 || []).length, 'C2 destinations listed');
  const admins = (report.accounts || []).filter((a) => a.admin === true).length;
  equal(await rowCount(page, '#accounts-body tbody tr.admin-row'), admins, 'admin accounts flagged');
  equal(await rowCount(page, '#detections-body tbody tr'), (report.detections || []).length, 'detections listed');
  equal(await rowCount(page, '#checklist-body li.check'), (report.checklist || []).length, 'checklist items listed');
  equal(await rowCount(page, '#timeline-table tbody tr'), (report.timeline || []).length, 'timeline lists every entry');
  const sources = report.sources || [];
  equal(await rowCount(page, '#sources-table tbody tr'), sources.length, 'sources listed');
  // Unreadable: no format, or errors and not one event; a warning alone is not (the fixture has one).
  const broken = sources.filter((s) => !s.format || (s.events === 0 && s.problems > 0));
  if (fixture) check(sources.some((s) => s.errors && !broken.includes(s)), 'the fixture has a source read with a warning only');
  equal(await rowCount(page, '#sources-table tbody tr.unreadable-row'), broken.length, 'unreadable sources marked');
  const errorTexts = await page.$$eval('#sources-table tbody tr.unreadable-row td.errors', (c) => c.map((x) => x.textContent));
  equal(errorTexts.sort(), broken.map((s) => s.errors).sort(), 'reasons of unreadable sources shown');
  if (broken.length) check(await page.isVisible('#summary-body .warning'), 'unreadable evidence warned about in the summary');
  const esc = report.escalation || {};
  for (const key of ['jpcert', 'management']) {
    if (!esc[key]) continue;
    equal(await page.textContent(`#draft-${key}`), esc[key], `${key} draft shown verbatim`);
    // The clipboard may be refused to a file:// page; the button must then say so, not fail silently.
    await page.click(`button[data-copy="${key}"]`);
    await page.waitForFunction((k) => document.querySelector(`button[data-copy="${k}"] + .copy-feedback`).textContent !== '', key, {
      timeout: 5000,
    });
    check(true, `${key} draft copy button answers`);
  }
}

async function checkGraph(page) {
  const nodes = new Set((report.graph?.nodes || []).map((n) => String(n.id))).size;
  const counts = await page.evaluate(() => {
    const cy = window.ashiatoGraph;
    return cy ? { nodes: cy.nodes().length, edges: cy.edges().length } : null;
  });
  if (nodes === 0) {
    check(counts === null && (await page.isVisible('#graph-body .empty')), 'an empty graph is said to be empty');
    return;
  }
  check(counts !== null, 'graph created (window.ashiatoGraph)');
  if (!counts) return;
  equal(counts.nodes, nodes, 'graph nodes');
  equal(counts.edges, (report.graph?.edges || []).length, 'graph edges');
  // Some pixel of the graph's canvases is painted.
  const painted = await page.evaluate(() => [...document.querySelectorAll('#graph-canvas canvas')].some((c) => {
    if (!c.width || !c.height) return false;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }));
  check(painted, 'graph canvas rendered');

  // Clicking each host node filters the timeline to exactly that host's entries.
  const hostNodes = (report.graph?.nodes || []).filter((n) => n.kind === 'host');
  for (const node of hostNodes) {
    // Instant scroll (the page may scroll smoothly, and a moving node cannot be hit), then two frames
    // for the scroll event, on which cytoscape updates where its canvas is on the page.
    const point = await page.evaluate(async (id) => {
      const container = document.getElementById('graph-canvas');
      container.scrollIntoView({ behavior: 'instant', block: 'center' });
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const cy = window.ashiatoGraph;
      cy.fit(cy.getElementById(id).closedNeighborhood(), 60);
      const p = cy.getElementById(id).renderedPosition();
      const box = container.getBoundingClientRect();
      const [x, y] = [box.left + p.x, box.top + p.y];
      return { x, y, onGraph: container.contains(document.elementFromPoint(x, y)) };
    }, String(node.id));
    check(point.onGraph, `host node ${JSON.stringify(node.label)} can be clicked`);
    await page.mouse.click(point.x, point.y);
    const want = (report.timeline || []).filter((e) => e.host === node.label).length;
    const shown = await timelineHosts(page);
    check(shown.length === want && shown.every((h) => h === node.label),
      `clicking host node ${JSON.stringify(node.label)} filters the timeline (${shown.length} of ${want})`);
    equal(await page.inputValue('#filter-host'), node.label, `host filter set to ${JSON.stringify(node.label)}`);
  }
  await page.click('#filter-clear');
  // Braces: returning cy would make Playwright serialise the whole graph object.
  await page.evaluate(() => {
    window.ashiatoGraph.fit(undefined, 30);
  });
  equal(await rowCount(page, '#timeline-table tbody tr'), (report.timeline || []).length, 'clearing the filters shows every entry');
}

async function checkTimelineFilters(page) {
  const timeline = report.timeline || [];
  const level = timeline.find((e) => e.level)?.level;
  if (level) {
    await page.selectOption('#filter-level', level);
    equal(await rowCount(page, '#timeline-table tbody tr'), timeline.filter((e) => e.level === level).length, `level filter ${level}`);
    await page.selectOption('#filter-level', '');
  }
  const evidence = timeline.find((e) => e.evidence)?.evidence;
  if (evidence) {
    await page.fill('#filter-text', evidence);
    const want = timeline.filter((e) => Object.values(e).some((v) => String(v).toLowerCase().includes(evidence.toLowerCase()))).length;
    equal(await rowCount(page, '#timeline-table tbody tr'), want, 'text filter');
    await page.fill('#filter-text', '');
  }
  if (timeline.length === 0) {
    check(await page.isVisible('#timeline-empty'), 'an empty timeline is said to be empty');
    return;
  }
  // Sorting by time, twice, reverses the order.
  const first = await page.textContent('#timeline-table tbody tr:first-child td:first-child');
  await page.click('#timeline-table th[data-key="time"]');
  const last = await page.textContent('#timeline-table tbody tr:first-child td:first-child');
  check(timeline.length === 1 || first !== last || new Set(timeline.map((e) => e.time)).size === 1, 'sorting by time reverses the timeline');
  await page.click('#timeline-table th[data-key="time"]');
}

async function main() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ashiato-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    const errors = [];
    const requests = [];
    page.on('console', (m) => m.type() === 'error' && errors.push('console: ' + m.text()));
    page.on('pageerror', (e) => errors.push('page error: ' + e.message));
    page.on('request', (r) => r.url() !== pageUrl && requests.push(r.method() + ' ' + r.url()));
    page.on('requestfailed', (r) => errors.push('failed request: ' + r.url() + ' ' + (r.failure()?.errorText || '')));
    // A hostile string that became markup or code would most likely call alert().
    await page.addInitScript(() => {
      window.__alerts = [];
      window.alert = (m) => window.__alerts.push(String(m));
    });
    page.on('dialog', (d) => {
      errors.push('dialog: ' + d.message());
      d.dismiss();
    });

    await page.goto(pageUrl, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await checkSummary(page);
    await checkTables(page);
    await checkGraph(page);
    await checkTimelineFilters(page);

    equal(await page.evaluate(() => window.__alerts), [], 'no script from the data ran');
    const injected = await page.evaluate(() => document.querySelectorAll('img, svg, iframe, object, embed').length);
    equal(injected, 0, 'no element from the data was created');
    const shot = path.join(path.dirname(path.resolve(htmlPath)), 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    check(fs.statSync(shot).size > 10000, 'screenshot written to ' + shot);
    equal(errors, [], 'no console errors, page errors or failed requests');
    equal(requests, [], 'no network requests');
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (e) {
  failures.push(String(e && e.stack ? e.stack : e));
  console.log('FAIL ' + failures[failures.length - 1]);
}
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');
