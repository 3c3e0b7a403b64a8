// Shared helpers of the dashboard's pages: API calls, formatting, and a live stream with a polling fallback.
'use strict';

const Dash = (() => {
  const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
  // The API key (ADR 0015): kept in localStorage by the login page and sent as a Bearer header on every fetch. The
  // HttpOnly session cookie the login page asked for serves what cannot send headers: pages, <img>, EventSource.
  const KEY = 'campanile.apiKey';

  function apiKey() {
    try {
      return localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  /** The key as request headers ({} without one: the gateway then answers 401). */
  function authHeaders() {
    const key = apiKey();
    return key ? {Authorization: 'Bearer ' + key} : {};
  }

  /** To the login page, which comes back here once it has a key. */
  function toLogin() {
    location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search);
  }

  /** Ends the session: the cookie (DELETE /v1/session, with the key) and the stored key. */
  async function logout() {
    try {
      await fetch('/v1/session', {method: 'DELETE', headers: authHeaders()});
    } finally {
      try {
        localStorage.removeItem(KEY);
      } catch (e) {
        // nothing stored
      }
      location.href = '/login';
    }
  }

  /** GET or POST JSON; resolves {ok, status, body, text}. A problem+json body's detail becomes body.detail. */
  async function api(path, options = {}) {
    const init = {method: options.method || 'GET', headers: {Accept: 'application/json', ...authHeaders()}};
    if (options.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(path, init);
    if (res.status === 401 && !options.noLogin) toLogin();
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    return {ok: res.ok, status: res.status, body, text};
  }

  /**
   * The job's seed as the server wrote it: seeds are 64-bit, beyond a JavaScript number's 53 bits, so the digits are
   * read from the JSON text rather than from the parsed number.
   */
  function rawSeed(text) {
    const m = /"seed"\s*:\s*(-?\d+)/.exec(text || '');
    return m ? m[1] : null;
  }

  /** A picture the gateway serves, as a data URL (what a job request's image fields take). */
  async function dataUrl(url) {
    const blob = await (await fetch(url, {headers: authHeaders()})).blob();
    return new Promise(resolve => {
      const r = new FileReader();
      r.onload = () => resolve(r.result);
      r.readAsDataURL(blob);
    });
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function seconds(s) {
    if (s === null || s === undefined || !isFinite(s)) return '';
    s = Math.max(0, Math.round(s));
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }

  function when(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
  }

  /** The job's progress as {stage, step, total, eta}: ETA from the worker when it sends one, else from the pace. */
  function progressOf(job) {
    const p = job.progress;
    if (!p || !p.total) return null;
    const detail = p.detail || {};
    let eta = p.eta_seconds ?? detail.eta_seconds ?? null;
    if (eta === null && p.step > 0 && job.started_at && job.status === 'RUNNING') {
      const spent = (Date.now() - new Date(job.started_at).getTime()) / 1000;
      eta = spent / p.step * (p.total - p.step);
    }
    return {stage: p.stage, step: p.step || 0, total: p.total, eta};
  }

  /** Sets a .progress element: bar width, label and data-step/data-total (read by the browser tests). */
  function setProgress(box, p, status) {
    const bar = box.querySelector('.bar');
    const label = box.querySelector('.label');
    let frac = 0;
    let text = '';
    if (status === 'SUCCEEDED') {
      frac = 1;
      text = 'done';
    } else if (p) {
      frac = Math.min(1, p.step / p.total);
      text = (p.stage ? p.stage + ' ' : '') + p.step + ' / ' + p.total;
    } else if (status) {
      text = status.toLowerCase();
    }
    bar.style.width = (frac * 100).toFixed(1) + '%';
    label.textContent = text;
    box.dataset.step = p ? p.step : 0;
    box.dataset.total = p ? p.total : 0;
  }

  function progressBar() {
    return el('div', {class: 'progress', 'data-step': '0', 'data-total': '0'},
        el('div', {class: 'bar'}), el('span', {class: 'label'}));
  }

  function badge(status) {
    return el('span', {class: 'badge ' + status, text: status});
  }

  /**
   * Follows a Server-Sent Events stream; when it cannot be opened (a gateway without it answers 404) or breaks for
   * good, calls poll every two seconds instead. handlers maps event names ('message' for unnamed ones) to functions
   * of (data, rawText). Returns {mode(), close()}.
   */
  function live(url, handlers, poll, onMode) {
    let source = null;
    let timer = null;
    let opened = false;
    let current = 'connecting';
    const setMode = (m) => {
      current = m;
      if (onMode) onMode(m);
    };
    const startPolling = () => {
      if (timer) return;
      if (source) source.close();
      setMode('polling');
      poll();
      timer = setInterval(poll, 2000);
    };
    if (!window.EventSource) {
      startPolling();
    } else {
      source = new EventSource(url);
      source.onopen = () => {
        opened = true;
        setMode('live');
      };
      source.onerror = () => {
        // Before any open the stream does not exist here; once closed by the server the caller decides what's next.
        if (!opened || source.readyState === EventSource.CLOSED) {
          if (handlers.closed && opened) handlers.closed();
          else startPolling();
        }
      };
      for (const [name, fn] of Object.entries(handlers)) {
        if (name === 'closed') continue;
        source.addEventListener(name, (ev) => {
          let data = null;
          try {
            data = JSON.parse(ev.data);
          } catch (e) {
            return;
          }
          fn(data, ev.data);
        });
      }
    }
    return {
      mode: () => current,
      close: () => {
        if (source) source.close();
        if (timer) clearInterval(timer);
        setMode('closed');
      },
      poll: startPolling,
    };
  }

  function liveBadge(elem, mode) {
    if (!elem) return;
    elem.textContent = mode === 'live' ? 'live' : mode === 'polling' ? 'polling every 2 s' : mode;
    elem.classList.toggle('on', mode === 'live' || mode === 'polling');
    elem.dataset.mode = mode;
  }

  const logoutLink = document.getElementById('logout');
  if (logoutLink && document.body.dataset.page !== 'login') {
    logoutLink.hidden = false;
    logoutLink.addEventListener('click', (ev) => {
      ev.preventDefault();
      logout();
    });
    api('/v1/session').then(r => {
      const who = document.getElementById('whoami');
      if (r.ok && who) who.textContent = r.body.key_name + ' · ' + r.body.tenant + (r.body.admin ? ' (admin)' : '');
    });
  }

  return {TERMINAL, KEY, apiKey, authHeaders, logout, api, rawSeed, dataUrl, el, seconds, when, progressOf, setProgress, progressBar, badge, live, liveBadge};
})();
