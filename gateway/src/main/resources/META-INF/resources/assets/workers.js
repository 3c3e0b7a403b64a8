// The workers page: GET /v1/workers every 2 s, one row per worker kind (its consumer group), or "unavailable".
'use strict';

(() => {
  const {api, el, liveBadge} = Dash;
  const tbody = document.querySelector('#workers tbody');
  const unavailable = document.getElementById('unavailable');
  const badge = document.getElementById('live');

  const num = v => (v === null || v === undefined ? '–' : String(v));

  function members(w) {
    const list = w.members || [];
    if (list.length === 0) return el('span', {class: 'muted', text: 'none'});
    return el('ul', {class: 'members'}, ...list.map(m => el('li', {},
        el('code', {text: m.id || m.host || '?'}), m.host && m.id ? ' on ' + m.host : '',
        ' · ', (m.partitions || []).length ? 'partitions ' + m.partitions.join(', ') : 'no partitions')));
  }

  function lag(w) {
    const byPartition = Object.entries(w.lag_by_partition || {}).filter(([, v]) => v > 0);
    const title = byPartition.map(([p, v]) => `partition ${p}: ${v}`).join('\n');
    return el('td', {class: 'num', title: title || null, text: num(w.lag)});
  }

  function row(w) {
    return el('tr', {'data-kind': w.kind, 'data-replicas': num(w.replicas)},
        el('td', {}, el('strong', {text: w.kind})),
        el('td', {}, el('code', {text: w.topic || ''})),
        el('td', {class: 'num replicas', text: num(w.replicas)}),
        el('td', {}, members(w)),
        el('td', {class: 'num', text: num(w.partitions)}),
        lag(w),
        el('td', {class: 'num', text: num(w.running_jobs)}),
        el('td', {class: 'num', text: num(w.succeeded_last_5_min)}),
        el('td', {class: 'num', text: num(w.failed_last_5_min)}));
  }

  async function refresh() {
    let res;
    try {
      res = await api('/v1/workers');
    } catch (e) {
      liveBadge(badge, 'offline');
      return;
    }
    if (res.status === 404) {
      unavailable.hidden = false;
      document.getElementById('workers').dataset.state = 'unavailable';
      liveBadge(badge, 'unavailable');
      tbody.replaceChildren();
      return;
    }
    if (!res.ok || !Array.isArray(res.body)) {
      unavailable.hidden = false;
      unavailable.textContent = 'Worker information is unavailable: ' + ((res.body && res.body.detail) || 'HTTP ' + res.status);
      liveBadge(badge, 'unavailable');
      return;
    }
    unavailable.hidden = true;
    document.getElementById('workers').dataset.state = 'ok';
    liveBadge(badge, 'polling');
    tbody.replaceChildren(...res.body.map(row));
  }

  refresh();
  setInterval(refresh, 2000);
})();
