// UI labels in Japanese and English, and the formatting of times, sizes and numbers.
// The texts inside report.json are already in the report's language; only the page's own labels
// are translated here.
(function (A) {
  'use strict';

  const LABELS = {
    en: {
      title: 'ashiato investigation report',
      noData: 'This page holds no report data (report.json was not embedded).',
      badData: 'The embedded report data could not be read: ',
      sectionFailed: 'This part of the report could not be shown: ',
      deceptive: 'Suspicious: this value holds invisible or direction-changing characters (shown as <U+…>) that can make it look like another value',
      nav: {
        summary: 'Summary', hosts: 'Hosts', checklist: 'First response', graph: 'Graph',
        timeline: 'Timeline', c2: 'C2', similar: 'Similar communications', accounts: 'Accounts',
        detections: 'Detections', escalation: 'Escalation', sources: 'Evidence',
      },
      summary: {
        infected: 'Infected hosts', suspect: 'Suspect hosts', c2: 'C2 destinations',
        similar: 'Hosts with similar communication', candidates: 'C2 candidates',
        firstC2: 'First C2 contact', lastC2: 'Last C2 contact', ongoing: 'Still going on?',
        ongoingYes: 'C2 contact within 24 h of the end of the evidence',
        ongoingNo: 'No C2 contact in the last 24 h of the evidence',
        ongoingYesShort: 'YES', ongoingNoShort: 'NO',
        admins: 'Admin accounts on infected hosts', detections: 'Detections by level',
        window: 'Evidence window', events: 'events', sources: 'sources', unreadable: 'unreadable',
        generated: 'Generated', caseDir: 'Case', runs: 'runs', zone: 'Times shown in',
        unreadableWarn: 'Some evidence could not be read; its findings are missing from this report:',
      },
      hosts: {
        title: 'Infected and suspect hosts', name: 'Host', status: 'Status', users: 'Users',
        addresses: 'Addresses', firstC2: 'First C2 contact', lastC2: 'Last C2 contact',
        hits: 'C2 hits', detections: 'Detections', none: 'No infected or suspect host was found.',
      },
      status: { infected: 'infected', suspect: 'suspect', similar: 'suspected: similar communication', involved: 'involved' },
      checklist: { title: 'First-response checklist', priority: 'Priority', none: 'No actions.' },
      graph: {
        title: 'Hosts, users and C2', layout: 'Layout', fit: 'Fit', none: 'No relations to draw.',
        hint: 'Scroll to zoom, drag to pan. Click a node to filter the timeline to it.',
        legendInfected: 'infected host', legendSuspect: 'suspect host', legendHost: 'other host',
        legendUser: 'user', legendAdmin: 'admin user', legendC2: 'C2 destination',
        legendC2Edge: 'C2 traffic', legendLogon: 'logon',
      },
      timeline: {
        title: 'Timeline', time: 'Time', kind: 'Kind', level: 'Level', summary: 'Title', host: 'Host',
        user: 'User', details: 'Details', evidence: 'Evidence', all: 'all', filter: 'Filter',
        filterPlaceholder: 'text in any column', clear: 'Clear filters', shown: 'shown',
        of: 'of', none: 'No entries match.',
        truncated: 'The report holds at most 2,000 entries; `ashiato case timeline` lists all.',
      },
      similar: {
        title: 'Similar communications: C2 candidates', destination: 'Destination', score: 'Score',
        hosts: 'Hosts', first: 'First', last: 'Last', connections: 'Contacts', histogram: 'Intervals',
        features: 'Like the C2 in', reason: 'Why', decision: 'Decision',
        hint: 'Destinations nobody reported whose traffic looks like the confirmed C2\'s. Accept one with `ashiato case accept DESTINATION` (it becomes an indicator of the case and goes into the block list) or reject it with `ashiato case reject`.',
        none: 'No other destination looks like the confirmed C2.',
        noC2: 'No traffic to a known C2 in the evidence to compare with; `ashiato beacons` scores every destination.',
        likeBefore: 'like the C2 ', likeAfter: '',
        hostBefore: 'talks to C2 candidate ', hostMiddle: ' (like ', hostAfter: ')',
      },
      feature: {
        user_agent: 'same User-Agent', method: 'methods', url_shape: 'URL shape', request_size: 'request size',
        reply_size: 'reply size', interval: 'rhythm', time_of_day: 'hours of the day', direct_address: 'direct calls to its address',
      },
      decision: { accepted: 'accepted: C2', rejected: 'rejected', open: 'open' },
      kind: { ioc: 'IOC match', sigma: 'Sigma rule', 'sigma-correlation': 'Sigma correlation' },
      c2: {
        title: 'C2 destinations', indicator: 'Indicator', type: 'Type', source: 'Source', first: 'First',
        last: 'Last', hits: 'Hits', hosts: 'Hosts', bytes: 'Bytes', none: 'No C2 contact was found.',
      },
      accounts: {
        title: 'Accounts', name: 'Account', admin: 'Admin', hosts: 'Hosts', first: 'First seen',
        last: 'Last seen', adminYes: 'admin', none: 'No accounts.',
      },
      detections: {
        title: 'Detections by severity', rule: 'Rule', summary: 'Title', level: 'Level', count: 'Count',
        hosts: 'Hosts', first: 'First', last: 'Last', none: 'No detections.',
      },
      level: {
        critical: 'critical', high: 'high', medium: 'medium', low: 'low', informational: 'informational',
      },
      escalation: {
        title: 'Escalation drafts', jpcert: 'Report to JPCERT/CC (draft)', management: 'Report to management (draft)',
        copy: 'Copy', copied: 'Copied', copyFailed: 'Select the text and copy it by hand', none: 'No draft.',
      },
      sources: {
        title: 'Evidence sources', path: 'File', format: 'Format', size: 'Size', sha256: 'SHA-256',
        events: 'Events', bad: 'Unparsed records', problems: 'Problems', first: 'First', last: 'Last',
        errors: 'Errors', unreadable: 'unreadable', none: 'No sources.',
      },
      yes: 'yes', no: 'no', none: '—',
    },
    ja: {
      title: 'ashiato 調査報告書',
      noData: 'このページには報告データがありません (report.json が埋め込まれていません)。',
      badData: '埋め込まれた報告データを読めませんでした: ',
      sectionFailed: 'この部分を表示できませんでした: ',
      deceptive: '不審: この値には見えない文字や表示方向を変える文字（<U+…> と表示）が含まれ、別の値に見せかけられている可能性があります',
      nav: {
        summary: '概要', hosts: '端末', checklist: '初動対応', graph: '関係図', timeline: 'タイムライン',
        c2: 'C2', similar: '類似通信', accounts: 'アカウント', detections: '検知', escalation: '報告',
        sources: '証拠',
      },
      summary: {
        infected: '感染端末', suspect: '感染の疑いがある端末', c2: 'C2 接続先',
        similar: '類似通信のある端末', candidates: 'C2 の候補', firstC2: '最初の C2 通信',
        lastC2: '最後の C2 通信', ongoing: '通信は継続中か',
        ongoingYes: '証拠の終わりから 24 時間以内に C2 通信あり',
        ongoingNo: '証拠の最後の 24 時間に C2 通信なし', ongoingYesShort: '継続中', ongoingNoShort: '停止',
        admins: '感染端末上の管理者アカウント', detections: '重大度別の検知', window: '証拠の期間',
        events: 'イベント', sources: 'ファイル', unreadable: '読めないファイル', generated: '作成日時',
        caseDir: 'ケース', runs: '回の実行', zone: '時刻の表示',
        unreadableWarn: '読めなかった証拠があります。その内容はこの報告に含まれていません:',
      },
      hosts: {
        title: '感染端末と感染の疑いがある端末', name: '端末', status: '状態', users: 'ユーザー',
        addresses: 'アドレス', firstC2: '最初の C2 通信', lastC2: '最後の C2 通信', hits: 'C2 通信数',
        detections: '検知数', none: '感染端末・感染の疑いがある端末は見つかりませんでした。',
      },
      status: { infected: '感染', suspect: '疑い', similar: '疑い: 類似通信', involved: '関連' },
      checklist: { title: '初動対応チェックリスト', priority: '優先度', none: '対応項目はありません。' },
      graph: {
        title: '端末・ユーザー・C2 の関係図', layout: '配置', fit: '全体表示', none: '描く関係がありません。',
        hint: 'スクロールで拡大縮小、ドラッグで移動。ノードをクリックするとタイムラインを絞り込みます。',
        legendInfected: '感染端末', legendSuspect: '疑いのある端末', legendHost: 'その他の端末',
        legendUser: 'ユーザー', legendAdmin: '管理者', legendC2: 'C2 接続先', legendC2Edge: 'C2 通信',
        legendLogon: 'ログオン',
      },
      timeline: {
        title: 'タイムライン', time: '時刻', kind: '種類', level: '重大度', summary: '内容', host: '端末',
        user: 'ユーザー', details: '詳細', evidence: '証拠', all: 'すべて', filter: '絞り込み',
        filterPlaceholder: 'いずれかの列の文字列', clear: '絞り込みを解除', shown: '件を表示', of: '件中',
        none: '該当する項目はありません。',
        truncated: '報告には最大 2,000 件を載せます。すべては `ashiato case timeline` で見られます。',
      },
      similar: {
        title: '類似通信: C2 の候補', destination: '接続先', score: 'スコア', hosts: '端末', first: '最初',
        last: '最後', connections: '通信数', histogram: '通信間隔', features: 'C2 と似ている点', reason: '理由',
        decision: '判断',
        hint: '通知にない接続先のうち、確認済みの C2 と通信の特徴が似ているもの。`ashiato case accept 接続先` で C2 と認めると事案の指標になりブロックリストに入ります。誤検知は `ashiato case reject` で記録します。',
        none: '確認済みの C2 に似た接続先はほかにありません。',
        noC2: '比べる C2 通信が証拠にありません。すべての接続先の定期通信は `ashiato beacons` で見られます。',
        likeBefore: 'C2 ', likeAfter: ' の通信に類似',
        hostBefore: 'C2 の候補 ', hostMiddle: ' と通信 (', hostAfter: ' に類似)',
      },
      feature: {
        user_agent: '同じ User-Agent', method: 'メソッド', url_shape: 'URL の形', request_size: '送信サイズ',
        reply_size: '受信サイズ', interval: '通信間隔', time_of_day: '時間帯', direct_address: 'IP アドレスへの直接通信',
      },
      decision: { accepted: 'C2 と判断', rejected: '誤検知', open: '未判断' },
      kind: { ioc: 'IOC 一致', sigma: 'Sigma ルール', 'sigma-correlation': 'Sigma 相関' },
      c2: {
        title: 'C2 接続先', indicator: '指標', type: '種類', source: '出典', first: '最初', last: '最後',
        hits: '通信数', hosts: '端末', bytes: 'バイト数', none: 'C2 通信は見つかりませんでした。',
      },
      accounts: {
        title: 'アカウント', name: 'アカウント', admin: '管理者', hosts: '端末', first: '最初の確認',
        last: '最後の確認', adminYes: '管理者', none: 'アカウントはありません。',
      },
      detections: {
        title: '重大度別の検知', rule: 'ルール', summary: '内容', level: '重大度', count: '件数', hosts: '端末',
        first: '最初', last: '最後', none: '検知はありません。',
      },
      level: { critical: '緊急', high: '高', medium: '中', low: '低', informational: '情報' },
      escalation: {
        title: '報告文案', jpcert: 'JPCERT/CC への報告 (案)', management: '経営層への報告 (案)', copy: 'コピー',
        copied: 'コピーしました', copyFailed: '文字列を選択して手でコピーしてください', none: '文案はありません。',
      },
      sources: {
        title: '証拠ファイル', path: 'ファイル', format: '形式', size: 'サイズ', sha256: 'SHA-256',
        events: 'イベント', bad: '解析できない記録', problems: '問題', first: '最初', last: '最後',
        errors: 'エラー', unreadable: '読めません', none: 'ファイルはありません。',
      },
      yes: 'はい', no: 'いいえ', none: '—',
    },
  };

  A.LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];

  // Picks the label set; an unknown language falls back to English rather than failing.
  A.setLanguage = function (lang) {
    A.lang = lang === 'ja' ? 'ja' : 'en';
    A.L = LABELS[A.lang];
  };
  A.setLanguage('en');

  // Looks a label up by dotted path ("hosts.title"); a missing label shows its key, not nothing.
  A.t = function (path) {
    let v = A.L;
    for (const part of path.split('.')) v = v != null ? v[part] : undefined;
    return typeof v === 'string' ? v : path;
  };

  // Display zone: "+09:00", "-0530", "Z" or "UTC"; anything else is shown as UTC so that a wrong
  // zone is visible instead of silently shifting every time.
  A.setZone = function (zone) {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(String(zone || ''));
    if (m) {
      A.zoneMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
      A.zoneName = m[1] + m[2] + ':' + m[3];
    } else {
      A.zoneMinutes = 0;
      A.zoneName = 'UTC';
    }
  };
  A.setZone('');

  // Milliseconds since the epoch of an ISO 8601 time, or NaN. Parsed by hand because report times
  // may carry 7 fractional digits (100 ns), which Date.parse does not accept everywhere.
  A.parseTime = function (iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      String(iso || ''));
    if (!m) return NaN;
    let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0);
    if (m[8] && m[8] !== 'Z') {
      const z = /^([+-])(\d{2}):?(\d{2})$/.exec(m[8]);
      ms -= (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60000;
    }
    return ms;
  };

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  // "2015-06-01 10:02:03 +09:00": the time in the display zone with the zone written next to it.
  // An unparseable time is shown as given, so nothing from the evidence is hidden.
  A.formatTime = function (iso) {
    if (iso == null || iso === '') return A.L.none;
    const ms = A.parseTime(iso);
    if (Number.isNaN(ms)) return String(iso);
    const d = new Date(ms + A.zoneMinutes * 60000);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) + ' ' +
      pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ':' + pad(d.getUTCSeconds()) + ' ' + A.zoneName;
  };

  A.formatNumber = function (n) {
    const v = Number(n);
    if (!Number.isFinite(v)) return A.L.none;
    return v.toLocaleString(A.lang === 'ja' ? 'ja-JP' : 'en-US');
  };

  A.formatSize = function (bytes) {
    const v = Number(bytes);
    if (!Number.isFinite(v) || v < 0) return A.L.none;
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let x = v;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return (i === 0 ? String(x) : x.toFixed(1)) + ' ' + units[i];
  };
})((window.ashiato = window.ashiato || {}));
