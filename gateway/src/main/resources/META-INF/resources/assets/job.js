// One job: parameters, timings, live progress, preview and loss curve, the outputs by role, files, cancel and run again.
// Reads GET /v1/jobs/{id}/events: named events status/progress/preview/output, or the unnamed job views that a gateway
// without named events sends; where no stream opens it polls GET /v1/jobs/{id} every 2 s.
'use strict';

(() => {
  const {TERMINAL, api, rawSeed, el, seconds, when, progressOf, setProgress} = Dash;
  const id = document.getElementById('job').dataset.jobId;
  const $ = name => document.getElementById(name);
  const chart = new LossChart($('loss'));
  let job = null;
  let seed = null;
  let stream = null;
  let lossFileRead = false;

  function kv(dl, entries) {
    dl.replaceChildren(...entries.filter(([, v]) => v !== null && v !== undefined && v !== '')
        .flatMap(([k, v]) => [el('dt', {text: k}), el('dd', {text: typeof v === 'object' ? JSON.stringify(v) : String(v)})]));
  }

  function onStatus(view, text) {
    job = view;
    seed = rawSeed(text) || String(view.seed);
    $('job-type').textContent = view.type;
    $('status').textContent = view.status;
    $('status').className = 'badge ' + view.status;
    document.title = view.type + ' ' + view.status.toLowerCase() + ' · campanile';
    kv($('params'), [['model', view.model], ['seed', seed], ...Object.entries(view.params || {})]);
    const timings = Object.entries(view.timings || {}).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : v]);
    kv($('run'), [['status', view.status], ['sampler', (view.params || {}).sampler], ['worker', view.worker],
      ['attempt', view.attempt], ['created', when(view.created_at)], ['started', when(view.started_at)],
      ['finished', when(view.finished_at)], ['cancel requested', view.cancel_requested ? 'yes' : null], ...timings]);
    $('warnings').replaceChildren(...(view.warnings || []).map(w => el('li', {text: w})));
    $('error').hidden = !view.error;
    $('error').textContent = view.error || '';
    const p = progressOf(view);
    onProgress(p ? {stage: p.stage, step: p.step, total: p.total, eta_seconds: p.eta,
      ...(view.progress.detail || {})} : null);
    renderOutputs(view.outputs || []);
    renderFiles(view.files);
    if (view.type === 'train') showTraining();
    const done = TERMINAL.includes(view.status);
    $('cancel').disabled = done;
    $('job').dataset.status = view.status;
    if (done && stream) {
      stream.close(); // the server ends the stream after a terminal status; do not let the browser reconnect
      stream = null;
      if (view.type === 'train' && !view.files) refetch(); // the file list comes with GET only
    }
  }

  function onProgress(p) {
    const status = job ? job.status : null;
    setProgress($('progress'), p && p.total ? p : null, status);
    let text = '';
    if (p && p.total && status === 'RUNNING') {
      text = `${p.stage || 'step'} ${p.step} of ${p.total}`;
      if (p.eta_seconds !== null && p.eta_seconds !== undefined) text += ` · about ${seconds(p.eta_seconds)} left`;
      if (p.epoch) text += ` · epoch ${p.epoch}`;
      if (p.loss) text += ` · loss ${Number(p.loss).toPrecision(4)}`;
      if (p.images_per_second) text += ` · ${Number(p.images_per_second).toFixed(0)} images/s`;
    } else if (status === 'QUEUED') {
      text = 'waiting for a worker';
    }
    $('progress-text').textContent = text;
    if (p && p.loss && chart.add(p.step, p.loss, p.epoch)) {
      showTraining();
      chart.draw();
      $('loss-text').textContent = `${chart.size()} steps, latest loss ${Number(p.loss).toPrecision(4)}`;
    }
  }

  function onPreview(p) {
    const img = $('preview');
    img.src = p.image;
    img.dataset.count = String(Number(img.dataset.count) + 1);
    $('preview-caption').textContent = `x̂₀ at ${p.stage || 'step'} ${p.step} / ${p.total}`;
    $('preview-box').hidden = false;
  }

  function onOutput(o) {
    if (!job) return;
    if (!job.outputs.some(x => x.image_id === o.image_id)) job.outputs.push(o);
    renderOutputs(job.outputs);
  }

  function figure(o, big) {
    return el('figure', {'data-role': o.role},
        el('a', {href: o.url, target: '_blank'}, el('img', {src: o.url, alt: o.role, loading: 'lazy'})),
        el('figcaption', {}, el('span', {text: o.role}), ' ',
            el('a', {href: o.url, download: o.role + '.png', text: 'PNG'}),
            big ? null : el('a', {href: o.url + '?format=npy', download: o.role + '.npy', text: '.npy'})));
  }

  /** The contact sheet on top, then every other output in the order the worker stored them, captioned by role. */
  function renderOutputs(outputs) {
    const gallery = $('gallery');
    if (gallery.dataset.count === String(outputs.length)) return; // images do not change once stored
    gallery.dataset.count = String(outputs.length);
    const sheets = outputs.filter(o => o.role === 'sheet' || o.role.endsWith(' sheet'));
    $('sheet').replaceChildren(...sheets.map(o => figure(o, true)));
    gallery.replaceChildren(...outputs.filter(o => !sheets.includes(o)).map(o => figure(o, false)));
  }

  function renderFiles(files) {
    if (!files) return;
    $('files-box').hidden = files.length === 0;
    $('files').replaceChildren(...files.map(f => el('li', {'data-file': f.name},
        el('a', {href: f.url, download: f.name, text: f.name}), ` ${f.media_type}, ${(f.bytes / 1024).toFixed(1)} kB`)));
    const gifs = files.filter(f => f.media_type === 'image/gif');
    $('gif').replaceChildren(...gifs.map(f => el('figure', {},
        el('img', {src: f.url, alt: f.name}), el('figcaption', {text: f.name}))));
    if (!lossFileRead && job && TERMINAL.includes(job.status)) readLossFile(files);
  }

  /** A finished train job opened later has no live reports: its stored per-step losses draw the curve. */
  async function readLossFile(files) {
    lossFileRead = true;
    const losses = files.filter(f => /^losses-epoch-\d+\.json$/.test(f.name))
        .sort((a, b) => Number(b.name.match(/\d+/)[0]) - Number(a.name.match(/\d+/)[0]));
    if (losses.length === 0) return; // steps seen live are kept; the file adds the others
    const res = await api(losses[0].url);
    if (!res.ok || !Array.isArray(res.body)) return;
    const epochs = Number(losses[0].name.match(/\d+/)[0]);
    chart.addAll(res.body, Math.round(res.body.length / epochs));
    showTraining();
    chart.draw();
    $('loss-text').textContent = `${chart.size()} steps, from ${losses[0].name}`;
  }

  function showTraining() {
    if ($('loss-box').hidden) {
      $('loss-box').hidden = false;
      chart.draw();
    }
  }

  async function refetch() {
    const res = await api('/v1/jobs/' + id);
    if (res.status === 404) {
      $('problem').hidden = false;
      $('problem').textContent = 'No job ' + id + '.';
      if (stream) stream.close();
      return;
    }
    if (res.ok) onStatus(res.body, res.text);
  }

  async function cancel() {
    $('cancel').disabled = true;
    const res = await api('/v1/jobs/' + id + '/cancel', {method: 'POST'});
    if (res.ok) onStatus(res.body, res.text);
    else showProblem(res);
  }

  function showProblem(res) {
    $('problem').hidden = false;
    $('problem').textContent = (res.body && (res.body.detail || res.body.title)) || 'HTTP ' + res.status;
  }

  /** The job's request again: its type, model and params (defaults included), its input images, and a seed. */
  async function rerun(sameSeed) {
    const type = await api('/v1/job-types/' + job.type);
    const body = {type: job.type, model: job.model, ...job.params};
    for (const f of (type.ok ? type.body.fields : []).filter(f => f.kind === 'image')) {
      // The worker stores each input beside the results: 'original' for the image, the field's name otherwise.
      const out = job.outputs.find(o => o.role === (f.name === 'image' ? 'original' : f.name));
      if (out) body[f.name] = await Dash.dataUrl(out.url);
      else if (f.required) {
        location.href = '/submit?from=' + id;
        return;
      }
    }
    const text = JSON.stringify({...body, seed: '__seed__'}).replace('"__seed__"', sameSeed ? seed : randomSeed());
    const res = await api('/v1/jobs', {method: 'POST', body: text});
    if (res.ok) location.href = '/jobs/' + res.body.id;
    else showProblem(res);
  }

  function randomSeed() {
    const words = crypto.getRandomValues(new Uint32Array(2));
    return String((BigInt(words[0] & 0x7fffffff) << 32n) | BigInt(words[1]));
  }

  $('cancel').addEventListener('click', cancel);
  $('rerun-same').addEventListener('click', () => rerun(true));
  $('rerun-new').addEventListener('click', () => rerun(false));

  refetch().then(() => {
    $('rerun-same').disabled = $('rerun-new').disabled = !job;
    if (!job || TERMINAL.includes(job.status)) return;
    stream = Dash.live('/v1/jobs/' + id + '/events', {
      status: onStatus,
      message: onStatus, // a gateway without named events sends the job view unnamed
      progress: onProgress,
      preview: onPreview,
      output: onOutput,
      closed: refetch,
    }, () => {
      if (job && TERMINAL.includes(job.status) && stream) stream.close();
      else refetch();
    }, mode => {
      $('job').dataset.live = mode;
    });
  });
})();
