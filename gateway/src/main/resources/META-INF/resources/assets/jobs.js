// The jobs list: GET /v1/jobs filtered by status and type (model client-side), kept live by GET /v1/events, or by
// polling GET /v1/jobs every 2 s where the gateway has no such stream.
'use strict';

(() => {
  const {api, el, seconds, when, progressOf, setProgress, progressBar, badge, live, liveBadge} = Dash;
  const form = document.getElementById('filters');
  const tbody = document.querySelector('#jobs tbody');
  const empty = document.getElementById('empty');
  const jobs = new Map(); // id -> the job as last seen (list view or event)
  let reloadTimer = null;

  // Filters live in the address, so a filtered list can be linked and survives a reload.
  const query = new URLSearchParams(location.search);
  for (const name of ['status', 'type', 'model']) {
    if (query.get(name)) form.elements[name].value = query.get(name);
  }
  form.addEventListener('change', () => {
    const q = new URLSearchParams();
    for (const name of ['status', 'type', 'model']) {
      if (form.elements[name].value) q.set(name, form.elements[name].value);
    }
    history.replaceState(null, '', q.toString() ? '?' + q : location.pathname);
    load();
  });

  function matches(job) {
    const f = form.elements;
    return (!f.status.value || job.status === f.status.value)
        && (!f.type.value || job.type === f.type.value)
        && (!f.model.value || job.model === f.model.value);
  }

  async function load() {
    const q = new URLSearchParams({limit: '100'});
    if (form.elements.status.value) q.set('status', form.elements.status.value);
    if (form.elements.type.value) q.set('type', form.elements.type.value);
    const res = await api('/v1/jobs?' + q);
    if (!res.ok) return;
    jobs.clear();
    for (const j of res.body.items) if (matches(j)) jobs.set(j.id, j);
    render();
  }

  function scheduleReload() {
    if (!reloadTimer) reloadTimer = setTimeout(() => {
      reloadTimer = null;
      load();
    }, 500);
  }

  /**
   * Queue position: the rank of a queued job among the queued jobs shown, oldest first. Jobs wait in partitions of
   * their worker's topic, so this is the order the gateway accepted them in, not a promise of the order they start.
   */
  function queuePositions() {
    const queued = [...jobs.values()].filter(j => j.status === 'QUEUED')
        .sort((a, b) => (a.created_at || '').localeCompare(b.created_at || ''));
    return new Map(queued.map((j, i) => [j.id, i + 1]));
  }

  function render() {
    const positions = queuePositions();
    const rows = [...jobs.values()].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || ''));
    tbody.replaceChildren(...rows.map(j => row(j, positions.get(j.id))));
    empty.hidden = rows.length > 0;
  }

  function row(j, position) {
    const p = progressOf(j);
    const bar = progressBar();
    setProgress(bar, p, j.status);
    const running = j.status === 'RUNNING';
    return el('tr', {'data-job': j.id, 'data-status': j.status},
        el('td', {}, el('a', {href: '/jobs/' + j.id}, el('code', {text: j.id.substring(0, 8)}))),
        el('td', {text: j.type}),
        el('td', {text: j.model || ''}),
        el('td', {}, badge(j.status)),
        el('td', {}, bar),
        el('td', {class: 'num', text: running && p ? seconds(p.eta) : ''}),
        el('td', {text: j.worker || ''}),
        el('td', {class: 'num', text: position ? '#' + position : ''}),
        el('td', {text: when(j.created_at)}),
        el('td', {class: 'thumb-cell'}, thumbnail(j)));
  }

  /**
   * A small picture of the job: while it runs, its latest live preview (GET /v1/jobs/{id}/preview, refetched at most
   * once a second; hidden until the first preview exists), then its contact sheet or first output.
   */
  function thumbnail(j) {
    if (j.status === 'RUNNING') {
      const img = el('img', {class: 'thumb', alt: 'live preview',
        src: `/v1/jobs/${j.id}/preview?t=${Math.floor(Date.now() / 1000)}`,
        onerror: () => img.remove()});
      return img;
    }
    const outputs = j.outputs || [];
    const o = outputs.find(x => x.role === 'sheet' || x.role.endsWith(' sheet')) || outputs[0];
    return o ? el('img', {class: 'thumb', src: o.url, alt: o.role, loading: 'lazy'}) : null;
  }

  function onJobEvent(ev) {
    const known = jobs.get(ev.id);
    if (!known) {
      if (matches(ev)) scheduleReload(); // a new job: read it with the list's full view
      return;
    }
    const merged = {...known, ...ev};
    if (!matches(merged)) jobs.delete(ev.id);
    else jobs.set(ev.id, merged);
    render();
  }

  load().then(() => {
    const stream = live('/v1/events', {job: onJobEvent}, load, mode => liveBadge(document.getElementById('live'), mode));
    // The event stream carries changes only; a slow refresh also picks up what happened while it reconnected.
    setInterval(() => {
      if (stream.mode() === 'live') load();
    }, 15000);
  });
})();
