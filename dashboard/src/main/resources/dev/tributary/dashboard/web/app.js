// The dashboard's pages. Every value from the server is put into the page as text (textContent,
// text nodes, attributes), never parsed as HTML: model names and dead letters are user data.
'use strict';
(function () {
  const page = document.getElementById('page');
  let current = null;      // the page shown: {render(), sources: [...]} 
  let lastChanges = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const k in (attrs || {})) {
      if (k === 'class') { e.className = attrs[k]; } else if (k.startsWith('on')) { e.addEventListener(k.slice(2), attrs[k]); }
      else { e.setAttribute(k, String(attrs[k])); }
    }
    for (const c of children) {
      if (c === null || c === undefined) { continue; }
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function num(v, digits) {
    if (v === null || v === undefined || !Number.isFinite(v)) { return '-'; }
    if (Number.isInteger(v) && digits === undefined) { return v.toLocaleString('en-US'); }
    return v.toFixed(digits === undefined ? 4 : digits);
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) { return '-'; }
    if (seconds < 90) { return seconds.toFixed(0) + ' s'; }
    if (seconds < 5400) { return (seconds / 60).toFixed(0) + ' min'; }
    if (seconds < 172800) { return (seconds / 3600).toFixed(1) + ' h'; }
    return (seconds / 86400).toFixed(1) + ' d';
  }

  function time(ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-'; }

  async function get(url) {
    const r = await fetch(url, { headers: { 'Accept': 'application/json' } });
    const body = await r.json();
    if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
    return body;
  }

  async function post(url, body) {
    const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Tributary-Change': '1' },
      body: JSON.stringify(body) });
    const answer = await r.json();
    if (!r.ok) { throw new Error(answer.error || ('HTTP ' + r.status)); }
    return answer;
  }

  function confirmThen(text, action) {
    const box = document.getElementById('confirm');
    document.getElementById('confirm-text').textContent = text;
    box.classList.remove('hidden');
    const yes = document.getElementById('confirm-yes'), no = document.getElementById('confirm-no');
    const done = () => { box.classList.add('hidden'); yes.onclick = null; no.onclick = null; };
    yes.onclick = () => { done(); action(); };
    no.onclick = done;
  }

  function table(headers, rows, attrs) {
    return el('table', attrs || {},
      el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { class: h.num ? 'num' : '' }, h.label || h)))),
      el('tbody', {}, ...rows));
  }

  function show(...nodes) {
    page.replaceChildren(...nodes.filter(n => n !== null && n !== undefined));
  }

  function problem(e) { return el('p', { class: 'error' }, String(e.message || e)); }

  // ---------------------------------------------------------------- Models

  const models = {
    sources: ['registry', 'usage', 'tick'],
    async render() {
      const data = await get('/api/models');
      const rows = data.models.map(m => el('tr', { 'data-model': m.name },
        el('td', { class: 'name' }, el('a', { href: '#/model/' + encodeURIComponent(m.name) }, m.name)),
        el('td', { class: 'algorithm' }, m.algorithm),
        el('td', { class: 'serving num' }, num(m.servingVersion), ' ', el('span', { class: 'tag ' + m.servingAlias }, m.servingAlias)),
        el('td', { class: 'champion num' }, num(m.champion)),
        el('td', { class: 'challenger num' }, num(m.challenger)),
        el('td', { class: 'examples num' }, num(m.examplesSeen)),
        el('td', { class: 'metric num' }, m.metricValue === null ? '-' : m.metric + ' ' + num(m.metricValue)),
        el('td', { class: 'age num' }, age(m.versionAgeSeconds)),
        el('td', { class: 'rate num' }, num(m.eventsPerSecond, 1))));
      show(el('h1', {}, 'Models'),
        rows.length === 0 ? el('p', { class: 'empty' }, 'No models yet: tributary models create NAME ...') :
        table(['Model', 'Algorithm', { label: 'Serving', num: true }, { label: 'Champion', num: true },
          { label: 'Challenger', num: true }, { label: 'Examples seen', num: true }, { label: 'Progressive metric', num: true },
          { label: 'Version age', num: true }, { label: 'Events/s scored', num: true }], rows, { id: 'models' }));
    }
  };

  // ---------------------------------------------------------------- A model

  function modelPage(name) {
    let controls = null; // built once per visit, so what is typed survives the live updates
    return {
      sources: ['registry', 'tick'],
      async render() {
        const m = await get('/api/models/' + encodeURIComponent(name));
        const aliased = new Set(Object.values(m.aliases));
        const points = m.curve.points.map(p => ({ x: p.examplesSeen, values: p.metrics, id: p.version, marked: aliased.has(p.version) }));
        const series = [m.curve.metric].concat(m.curve.series.filter(s => s !== m.curve.metric));
        const legend = el('div', { class: 'legend' }, ...series.map((s, i) => el('span', {}, el('i', { class: 's' + (i % 8) }), s)));
        const aliasTags = Object.keys(m.aliases).sort().map(a => el('span', { class: 'tag ' + a }, a + ' → ' + m.aliases[a]));
        const versionRows = m.versions.map(v => el('tr', { 'data-version': v.version },
          el('td', { class: 'num' }, num(v.version)),
          el('td', {}, ...v.aliases.map(a => el('span', { class: 'tag ' + a }, a))),
          el('td', { class: 'num' }, num(v.parentVersion)),
          el('td', { class: 'num' }, num(v.examplesSeen)),
          el('td', { class: 'num' }, num(v.metricValue)),
          el('td', {}, time(v.createdAt)),
          el('td', {}, v.producedBy),
          el('td', {}, v.promotion ? el('span', { class: 'tag ' + (v.promotion.accepted ? 'champion' : 'refused') },
            v.promotion.accepted ? 'promoted' : 'refused') : '', v.promotion ? ' ' + v.promotion.reason : ''),
          m.allowChanges ? el('td', {}, el('button', { class: 'make-champion', onclick: () => confirmThen(
            'Point champion of ' + name + ' at version ' + v.version + '? Scoring follows within a second.',
            () => change('/api/models/' + encodeURIComponent(name) + '/alias', { alias: 'champion', version: v.version })) },
            'Make champion')) : null));
        const headers = ['Version', 'Aliases', { label: 'Parent', num: true }, { label: 'Examples', num: true },
          { label: m.metric, num: true }, 'Published', 'By', 'Promotion'];
        if (m.allowChanges) { headers.push(''); }
        const bars = m.weights.features.map(f => ({ label: f.feature, value: f.weight }));
        show(el('h1', {}, m.name, ' ', el('span', { class: 'muted' }, m.algorithm)),
          el('p', {}, 'Serving version ', el('b', { id: 'serving' }, num(m.servingVersion)), ' (', m.servingAlias, '), ',
            age(m.versionAgeSeconds), ' old; ', num(m.versionCount), ' versions; promotion ', m.promotion || '-', '. ', ...aliasTags),
          m.allowChanges ? (controls = controls || changeControls(m)) : el('p', { class: 'muted' }, 'Read-only: start the dashboard with --allow-changes to set aliases and roll back.'),
          el('div', { class: 'cards' },
            el('div', { class: 'card' }, el('h2', {}, 'Learning curve: metric against examples seen'),
              legend, Charts.lines('curve', points, series, 'examples seen'),
              el('p', { class: 'muted' }, points.length + ' of ' + m.curve.versions + ' versions drawn')),
            el('div', { class: 'card' }, el('h2', {}, 'Weights of version ' + num(m.weights.version)),
              bars.length ? Charts.bars('weights', bars) : el('p', { class: 'empty' }, 'No weights to show.'),
              el('p', { class: 'muted' }, 'bias ' + num(m.weights.bias) + (m.weights.hashedNotShown ? '; ' + m.weights.hashedNotShown + ' smaller hashed weights not shown' : '')))),
          el('h2', {}, 'Versions (newest ' + m.versions.length + ' and aliased)'),
          table(headers, versionRows, { id: 'versions' }));
      }
    };
    function changeControls(m) {
      const alias = el('input', { id: 'alias-name', value: 'champion', size: 12 });
      const version = el('input', { id: 'alias-version', type: 'number', min: 0, value: m.servingVersion === null ? 0 : m.servingVersion });
      return el('div', { class: 'controls' },
        'Set alias', alias, 'to version', version,
        el('button', { id: 'set-alias', onclick: () => confirmThen('Point ' + alias.value + ' of ' + name + ' at version ' + version.value + '?',
          () => change('/api/models/' + encodeURIComponent(name) + '/alias', { alias: alias.value, version: Number(version.value) })) }, 'Set alias'),
        el('button', { id: 'rollback', class: 'danger', onclick: () => confirmThen('Roll ' + name + ' back to the previous version the gate did not refuse?',
          () => change('/api/models/' + encodeURIComponent(name) + '/rollback', {})) }, 'Roll back'),
        el('span', { id: 'change-result', class: 'muted' }));
    }
    async function change(url, body) {
      const out = document.getElementById('change-result');
      try {
        const r = await post(url, body);
        if (out) { out.textContent = r.alias ? r.alias + ' → ' + r.version : 'champion → ' + r.to; }
      } catch (e) {
        if (out) { out.textContent = String(e.message); out.className = 'error'; }
      }
    }
  }

  // ---------------------------------------------------------------- Functions

  const functions = {
    sources: ['functions'],
    async render() {
      const f = await get('/api/functions');
      const rows = [];
      for (const i of f.instances || []) {
        const health = el('span', { class: i.health === 'healthy' ? 'ok' : 'bad' }, i.health);
        if (!i.functions || i.functions.length === 0) {
          rows.push(el('tr', {}, el('td', {}, i.url), el('td', {}, '-'), el('td', {}, health), el('td', { colspan: 4 }, i.error || '')));
        }
        for (const fn of i.functions || []) {
          rows.push(el('tr', { 'data-function': fn.function },
            el('td', {}, i.url), el('td', {}, fn.function), el('td', {}, health),
            el('td', { class: 'num' }, num(fn.inPerSecond, 1)), el('td', { class: 'num' }, num(fn.outPerSecond, 1)),
            el('td', { class: 'num' }, num(fn.p50Ms, 3)), el('td', { class: 'num' }, num(fn.p99Ms, 3))));
        }
      }
      const lagRows = (f.lag || []).map(l => el('tr', {}, el('td', {}, l.group), el('td', {}, l.topic),
        el('td', { class: 'num' }, num(l.lag)), el('td', { class: 'num' }, num(l.partitions))));
      show(el('h1', {}, 'Functions'),
        rows.length ? table(['Instance', 'Function', 'Health', { label: 'In /s', num: true }, { label: 'Out /s', num: true },
          { label: 'p50 ms', num: true }, { label: 'p99 ms', num: true }], rows, { id: 'instances' })
          : el('p', { class: 'empty' }, 'No instances given: start the dashboard with --instance http://HOST:8081 for each run instance.'),
        el('h2', {}, 'Consumer-group lag per topic'),
        f.problem ? el('p', { class: 'error' }, f.problem) : null,
        lagRows.length ? table(['Group', 'Topic', { label: 'Lag', num: true }, { label: 'Partitions', num: true }], lagRows, { id: 'lag' })
          : el('p', { class: 'empty' }, 'No consumer group has committed offsets yet.'),
        f.timeline ? timeline(f.timeline) : null);
    }
  };

  /** The autoscaler's timeline: instances and lag against elapsed seconds. */
  function timeline(t) {
    if (t.problem) { return el('div', {}, el('h2', {}, 'Autoscaler'), el('p', { class: 'error' }, t.problem)); }
    const points = t.points.map(p => ({ x: p.elapsedSeconds, values: { instances: p.instances, lag: p.lag }, id: p.elapsedSeconds }));
    return el('div', { class: 'cards' },
      el('div', { class: 'card' }, el('h2', {}, 'Instances over time (autoscaler)'), Charts.lines('timeline-instances', points, ['instances'], 'seconds')),
      el('div', { class: 'card' }, el('h2', {}, 'Lag over time (autoscaler)'), Charts.lines('timeline-lag', points, ['lag'], 'seconds')));
  }

  // ---------------------------------------------------------------- Dead letters

  const deadLetters = {
    sources: ['deadLetters', 'tick'],
    async render() {
      const d = await get('/api/dead-letters');
      const columns = d.minutes.map(m => ({ t: m.start, counts: m.counts }));
      const legend = el('div', { class: 'legend' }, ...d.reasons.map((r, i) => el('span', {}, el('i', { class: 's' + (i % 8) }), r)));
      const rows = d.latest.map(r => el('tr', { class: 'dead-letter' },
        el('td', {}, time(r.timestamp)),
        el('td', {}, r.reason),
        el('td', {}, r.topic + ' ' + r.partition + '@' + r.offset),
        el('td', {}, el('pre', { class: 'bytes key' }, r.key === undefined ? 'base64:' + (r.keyBase64 || '') : (r.key === null ? '(null)' : r.key))),
        el('td', {}, el('pre', { class: 'bytes value' }, r.value === undefined ? 'base64:' + (r.valueBase64 || '') : (r.value === null ? '(null)' : r.value)),
          r.valueTruncated || r.valueBase64Truncated ? el('span', { class: 'muted' }, 'truncated from ' + (r.valueTruncated || r.valueBase64Truncated) + ' characters') : null),
        el('td', {}, el('dl', { class: 'headers' }, ...Object.keys(r.headers || {}).flatMap(k => [el('dt', {}, k), el('dd', {}, r.headers[k] === null ? '(null)' : r.headers[k])])))));
      show(el('h1', {}, 'Dead letters'),
        el('p', {}, num(d.total), ' dead letters read.'),
        el('div', { class: 'card' }, el('h2', {}, 'By reason per minute, the last hour'), legend, Charts.stacked('dead-letter-chart', columns, d.reasons, Date.now())),
        el('h2', {}, 'Latest'),
        rows.length ? table(['Time', 'Reason', 'Source', 'Key', 'Value', 'Headers'], rows, { id: 'dead-letters' })
          : el('p', { class: 'empty' }, 'None.'));
    }
  };

  // ---------------------------------------------------------------- Usage

  const RANGES = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3, 'all': null };
  const usageState = { range: '24h', by: 'function,model' };
  let usageControls = null; // kept across live updates, so an open list stays open
  function usageSelects() {
    const range = el('select', { id: 'usage-range', onchange: e => { usageState.range = e.target.value; refresh(true); } },
      ...Object.keys(RANGES).map(k => el('option', k === usageState.range ? { value: k, selected: 'selected' } : { value: k }, k === 'all' ? 'everything kept' : 'last ' + k)));
    const group = el('select', { id: 'usage-by', onchange: e => { usageState.by = e.target.value; refresh(true); } },
      ...['function,model', 'model', 'function', 'instance', 'function,model,instance'].map(k =>
        el('option', k === usageState.by ? { value: k, selected: 'selected' } : { value: k }, 'by ' + k)));
    return el('div', { class: 'controls' }, range, group);
  }

  const usage = {
    sources: ['usage'],
    async render() {
      const since = RANGES[usageState.range];
      const q = new URLSearchParams({ by: usageState.by });
      if (since !== null) { q.set('since', String(Date.now() - since)); }
      const bill = await get('/api/usage?' + q.toString());
      const by = bill.by;
      const line = (cells, sums, cls) => el('tr', { class: cls || '' }, ...cells.map(c => el('td', {}, c)),
        el('td', { class: 'num' }, num(sums.invocations)), el('td', { class: 'num' }, num(sums.errors)),
        el('td', { class: 'num' }, num(sums.cpuMillis, 1)), el('td', { class: 'num' }, num(sums.gbSeconds, 3)),
        el('td', { class: 'num' }, num(sums.cost, 6)));
      const rows = bill.rows.map(r => line(by.map(b => r[b]), r));
      if (bill.rows.length > 1) { rows.push(line(['TOTAL'].concat(by.slice(1).map(() => '')), bill.total, 'total')); }
      usageControls = usageControls || usageSelects();
      show(el('h1', {}, 'Usage'),
        usageControls,
        rows.length ? table(by.map(b => b.toUpperCase()).concat([{ label: 'Invocations', num: true }, { label: 'Errors', num: true },
          { label: 'CPU ms', num: true }, { label: 'GB-seconds', num: true }, { label: 'Cost', num: true }]), rows, { id: 'usage' })
          : el('p', { class: 'empty' }, 'No usage in this range (the functions write usage every 10 s while they process events).'),
        el('p', { class: 'muted' }, 'Cost = GB-seconds × ' + bill.prices.perGbSecond + ' + invocations / 1,000,000 × ' +
          bill.prices.perMillionInvocations + ' (AWS Lambda\'s public x86 list prices in USD, an example; tributary usage takes your own).'));
    }
  };

  // ---------------------------------------------------------------- routing and live updates

  function route() {
    const hash = location.hash || '#/models';
    const parts = hash.slice(2).split('/');
    document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#/' + parts[0]
      || (parts[0] === 'model' && a.id === 'nav-models')));
    switch (parts[0]) {
      case 'model': current = modelPage(decodeURIComponent(parts.slice(1).join('/'))); break;
      case 'functions': current = functions; break;
      case 'dead-letters': current = deadLetters; break;
      case 'usage': current = usage; break;
      default: current = models;
    }
    refresh(true);
  }

  let rendering = false, again = false;
  async function refresh(force) {
    if (rendering) { again = again || force; return; }
    rendering = true;
    const shown = current;
    try {
      await shown.render();
      page.setAttribute('data-rendered', String(Date.now()));
    } catch (e) {
      show(problem(e));
    } finally {
      rendering = false;
      if (again) { again = false; refresh(true); }
    }
  }

  function listen() {
    const live = document.getElementById('live');
    const events = new EventSource('/api/events');
    events.addEventListener('open', () => { live.textContent = 'live'; live.classList.remove('off'); });
    events.addEventListener('error', () => { live.textContent = 'reconnecting'; live.classList.add('off'); });
    events.addEventListener('change', e => {
      const changes = JSON.parse(e.data);
      const moved = lastChanges === null || current.sources.some(s => changes[s] !== lastChanges[s]);
      lastChanges = changes;
      if (moved) { refresh(false); }
    });
    // Closed when the page goes: a browser may otherwise hold the stream's connection for a minute, and with six
    // connections to a host at most, the seventh page opened in that minute would wait for one.
    window.addEventListener('pagehide', () => events.close());
  }

  document.addEventListener('DOMContentLoaded', async () => {
    window.addEventListener('hashchange', route);
    route();
    listen();
    try {
      const config = await get('/api/config');
      document.getElementById('mode').textContent = config.allowChanges ? 'changes allowed' : 'read-only';
    } catch (e) {
      document.getElementById('mode').textContent = 'offline';
    }
  });
})();
