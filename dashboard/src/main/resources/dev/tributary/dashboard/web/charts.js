// SVG charts drawn with DOM calls only: every label is a text node, so no value is ever parsed as markup.
'use strict';
(function () {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 800, H = 300, L = 60, R = 16, T = 12, B = 34;

  function node(tag, attrs, text) {
    const e = document.createElementNS(NS, tag);
    for (const k in attrs) { e.setAttribute(k, String(attrs[k])); }
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }

  function svg(id) {
    return node('svg', { id: id, class: 'chart', viewBox: '0 0 ' + W + ' ' + H });
  }

  function extent(values) {
    let lo = Infinity, hi = -Infinity;
    for (const v of values) { if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    if (lo === Infinity) { return [0, 1]; }
    if (lo === hi) { const pad = Math.abs(lo) * 0.05 || 1; return [lo - pad, hi + pad]; }
    return [lo, hi];
  }

  function short(v) {
    const a = Math.abs(v);
    if (a >= 1e9) { return (v / 1e9).toFixed(1) + 'G'; }
    if (a >= 1e6) { return (v / 1e6).toFixed(1) + 'M'; }
    if (a >= 1e4) { return (v / 1e3).toFixed(0) + 'k'; }
    if (a >= 100 || Number.isInteger(v)) { return v.toFixed(0); }
    return v.toPrecision(3);
  }

  function axes(s, xr, yr, xLabel) {
    for (let i = 0; i <= 4; i++) {
      const y = T + (H - T - B) * i / 4;
      s.appendChild(node('line', { class: 'grid', x1: L, x2: W - R, y1: y, y2: y }));
      s.appendChild(node('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, short(yr[1] - (yr[1] - yr[0]) * i / 4)));
    }
    for (let i = 0; i <= 5; i++) {
      const x = L + (W - L - R) * i / 5;
      s.appendChild(node('text', { x: x, y: H - B + 16, 'text-anchor': 'middle' }, short(xr[0] + (xr[1] - xr[0]) * i / 5)));
    }
    s.appendChild(node('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    s.appendChild(node('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }));
    s.appendChild(node('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle' }, xLabel));
  }

  /**
   * Lines of several series over the same x values. points: [{x, values: {series: y}, id, marked}];
   * the first series also gets a circle (class "point") per point, with data-version = id.
   */
  function lines(id, points, series, xLabel) {
    const s = svg(id);
    const xs = points.map(p => p.x);
    const ys = [];
    for (const p of points) { for (const k of series) { ys.push(p.values[k]); } }
    const xr = extent(xs), yr = extent(ys);
    const sx = x => L + (W - L - R) * (x - xr[0]) / (xr[1] - xr[0]);
    const sy = y => H - B - (H - T - B) * (y - yr[0]) / (yr[1] - yr[0]);
    axes(s, xr, yr, xLabel);
    series.forEach((k, i) => {
      let d = '';
      for (const p of points) {
        const y = p.values[k];
        if (Number.isFinite(y)) { d += (d ? ' L ' : 'M ') + sx(p.x).toFixed(1) + ' ' + sy(y).toFixed(1); }
      }
      if (d) { s.appendChild(node('path', { class: 'line s' + (i % 8), d: d, 'data-series': k })); }
    });
    if (series.length > 0) {
      const k = series[0];
      for (const p of points) {
        const y = p.values[k];
        if (!Number.isFinite(y)) { continue; }
        const c = node('circle', { class: 'point s0' + (p.marked ? ' aliased' : ''), cx: sx(p.x).toFixed(1),
          cy: sy(y).toFixed(1), r: p.marked ? 4.5 : 2.5, 'data-version': p.id });
        c.appendChild(node('title', {}, 'version ' + p.id + ': ' + k + ' ' + y + ' after ' + p.x + ' examples'));
        s.appendChild(c);
      }
    }
    return s;
  }

  /** Horizontal bars, one per {label, value}: positive right of zero, negative left. */
  function bars(id, items) {
    const rowH = 20;
    const height = Math.max(60, T + B + rowH * items.length);
    const s = node('svg', { id: id, class: 'chart bars', viewBox: '0 0 ' + W + ' ' + height });
    const left = 180;
    const xr = extent(items.map(i => i.value).concat([0]));
    const sx = x => left + (W - left - R) * (x - xr[0]) / (xr[1] - xr[0]);
    items.forEach((item, n) => {
      const y = T + n * rowH;
      const x0 = sx(0), x1 = sx(item.value);
      s.appendChild(node('text', { x: left - 8, y: y + 14, 'text-anchor': 'end' }, item.label));
      const bar = node('rect', { class: 'bar ' + (item.value < 0 ? 'neg' : 'pos'), x: Math.min(x0, x1).toFixed(1),
        y: y + 3, width: Math.max(1, Math.abs(x1 - x0)).toFixed(1), height: rowH - 6, 'data-feature': item.label });
      bar.appendChild(node('title', {}, item.label + ': ' + item.value));
      s.appendChild(bar);
      s.appendChild(node('text', { x: (item.value < 0 ? x0 + 4 : x1 + 4).toFixed(1), y: y + 14, 'text-anchor': 'start' },
        short(item.value)));
    });
    s.appendChild(node('line', { class: 'axis', x1: sx(0), x2: sx(0), y1: T, y2: height - B + 10 }));
    return s;
  }

  /** Stacked columns per minute over the last hour: columns [{t, counts: {key: n}}], keys in stacking order. */
  function stacked(id, columns, keys, now) {
    const s = svg(id);
    const hour = 60 * 60000;
    const shown = columns.filter(c => c.t >= now - hour);
    const totals = shown.map(c => keys.reduce((a, k) => a + (c.counts[k] || 0), 0));
    const yr = [0, Math.max(4, ...totals)];
    const sx = t => L + (W - L - R) * (t - (now - hour)) / hour;
    const sy = y => H - B - (H - T - B) * (y - yr[0]) / (yr[1] - yr[0]);
    axes(s, [-60, 0], yr, 'minutes ago');
    const width = (W - L - R) / 60 - 1;
    for (const c of shown) {
      let base = 0;
      keys.forEach((k, i) => {
        const n = c.counts[k] || 0;
        if (n > 0) {
          const r = node('rect', { class: 's' + (i % 8), x: sx(c.t).toFixed(1), y: sy(base + n).toFixed(1),
            width: width.toFixed(1), height: Math.max(1, sy(base) - sy(base + n)).toFixed(1), 'data-minute': c.t });
          r.appendChild(node('title', {}, new Date(c.t).toISOString().slice(0, 16) + 'Z ' + k + ': ' + n));
          s.appendChild(r);
          base += n;
        }
      });
    }
    return s;
  }

  window.Charts = { lines: lines, bars: bars, stacked: stacked };
})();
