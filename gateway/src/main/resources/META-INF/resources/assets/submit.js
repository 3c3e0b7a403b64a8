// The submit form: one form per job type, generated from GET /v1/job-types (the one job schema: kinds, defaults,
// bounds, help), a model picker from GET /v1/models, and the prompt's T5 tokens as you type (POST /v1/tokenize).
'use strict';

(() => {
  const {api, el} = Dash;
  const $ = name => document.getElementById(name);
  const query = new URLSearchParams(location.search);
  let types = [];
  let models = [];
  let inputs = new Map(); // field name -> {spec, value(), set(v)}

  const LISTS = ['int_list', 'string_list', 'prompt_list'];

  function help(f) {
    const parts = [f.description];
    if (f.minimum != null && f.maximum != null) parts.push(`from ${f.minimum} to ${f.maximum}`);
    else if (f.minimum != null) parts.push(`at least ${f.minimum}`);
    else if (f.maximum != null) parts.push(`at most ${f.maximum}`);
    if (f.odd) parts.push('odd');
    if (f.default != null) parts.push('default ' + JSON.stringify(f.default));
    return parts.filter(Boolean).join(' · ');
  }

  function text(v) {
    if (v === null || v === undefined) return '';
    if (Array.isArray(v)) return v.join(', ');
    return String(v);
  }

  /** The input of one field by its kind: {element, value(), set(v)}; value() is undefined to leave the field out. */
  function input(f, byName) {
    const name = f.name;
    if (f.kind === 'image') {
      return name === 'mask' ? Canvases.maskPainter(name, byName.get('image')) : Canvases.imageField(name);
    }
    if (f.kind === 'boolean') {
      const box = el('input', {type: 'checkbox', name});
      box.checked = f.default === true;
      return {element: box, value: () => box.checked, set: v => (box.checked = v === true)};
    }
    if (f.kind === 'choice') {
      const select = el('select', {name}, el('option', {value: '', text: f.default ? '(default)' : '(worker decides)'}),
          ...f.choices.map(c => el('option', {value: c, text: c})));
      select.value = f.default || '';
      return {element: select, value: () => select.value || undefined, set: v => (select.value = v || '')};
    }
    if (f.kind === 'prompt' || f.kind === 'prompt_list' || f.kind === 'string_list') {
      const area = el('textarea', {name, rows: f.kind === 'prompt' ? '2' : '3',
        placeholder: f.kind === 'prompt' ? '' : 'one per line'});
      const show = v => (Array.isArray(v) ? v.join('\n') : text(v));
      area.value = show(f.default);
      const tokens = el('div', {class: 'tokens', 'data-tokens': name});
      if (f.kind !== 'string_list') {
        let timer = null;
        const again = () => {
          clearTimeout(timer);
          timer = setTimeout(() => tokenize(area.value, f.kind === 'prompt_list', tokens), 250);
        };
        area.addEventListener('input', again);
        $('model').addEventListener('change', again);
        again();
      }
      const lines = () => area.value.split('\n').map(s => s.trim()).filter(Boolean);
      return {
        element: el('div', {}, area, tokens),
        value: () => (f.kind === 'prompt' ? area.value : (lines().length ? lines() : undefined)),
        set: v => {
          area.value = show(v);
          area.dispatchEvent(new Event('input'));
        },
      };
    }
    const numeric = f.kind === 'int' || f.kind === 'number';
    const box = el('input', {name, type: numeric ? 'number' : 'text', min: f.minimum, max: f.maximum,
      step: f.kind === 'int' ? (f.odd ? '2' : '1') : 'any', placeholder: f.kind === 'timesteps' ? 'e.g. smart27 or 990, 690, 390, 0' : ''});
    box.value = text(f.default);
    const value = () => {
      const s = box.value.trim();
      if (s === '') return undefined;
      if (f.kind === 'int') return Number.parseInt(s, 10);
      if (f.kind === 'number') return Number.parseFloat(s);
      if (f.kind === 'int_list') return s.split(/[\s,]+/).filter(Boolean).map(x => Number.parseInt(x, 10));
      if (f.kind === 'timesteps') {
        return /^[\d\s,]+$/.test(s) ? s.split(/[\s,]+/).filter(Boolean).map(x => Number.parseInt(x, 10)) : s;
      }
      return s;
    };
    return {element: box, value, set: v => (box.value = text(v))};
  }

  /** Shows how T5 reads the prompt(s): the pieces, the count against 77 and what is cut. */
  async function tokenize(value, perLine, box) {
    const model = models.find(m => m.id === $('model').value);
    if (model && model.conditioning && model.conditioning !== 't5') {
      box.replaceChildren(el('span', {class: 'count', text: model.conditioning === 'class'
          ? 'class-conditioned: a class label, one of ' + (model.class_labels || []).join(', ')
          : 'this model takes no prompt'}));
      return;
    }
    const prompts = perLine ? value.split('\n').map(s => s.trim()).filter(Boolean) : [value];
    const rows = [];
    for (const p of prompts) {
      const res = await api('/v1/tokenize', {method: 'POST', body: {text: p, model: model ? model.id : null}});
      if (!res.ok) {
        rows.push(el('span', {class: 'count', text: (res.body && res.body.detail) || 'tokenizer unavailable'}));
        continue;
      }
      const t = res.body;
      rows.push(...t.pieces.map(piece => el('span', {text: piece})));
      rows.push(el('span', {class: 'count', 'data-count': String(t.token_count),
        text: `${t.token_count} / ${t.max_length} tokens${t.truncated ? ' · cut: the rest of the prompt is not read' : ''}`}));
    }
    box.replaceChildren(...rows);
  }

  function modelOptions(type) {
    const select = $('model');
    const previous = select.value;
    let usable;
    if (type === 'train') usable = [];
    else if (type === 'upscale') usable = models.filter(m => m.upscaler);
    else usable = models.filter(m => m.kind === 'unet' && !m.upscaler);
    select.replaceChildren(el('option', {value: '', text: type === 'train' ? '(the model it trains)' : '(gateway default)'}),
        ...usable.map(m => el('option', {value: m.id,
          text: `${m.id} · ${m.conditioning || 'none'}${m.image_size ? ' · ' + m.image_size + ' px' : ''}${m.installed ? '' : ' (not installed)'}`})));
    select.disabled = type === 'train';
    if (usable.some(m => m.id === previous)) select.value = previous;
  }

  function renderType(name) {
    const type = types.find(t => t.type === name);
    $('type-summary').textContent = type.summary;
    modelOptions(name);
    inputs = new Map();
    const boxes = [];
    for (const f of type.fields) {
      const i = input(f, inputs);
      inputs.set(f.name, {spec: f, ...i});
      boxes.push(el('div', {class: 'field', 'data-field': f.name, 'data-kind': f.kind},
          el('label', {}, f.name + (f.required ? ' *' : '')), i.element, el('p', {class: 'help', text: help(f)})));
    }
    $('fields').replaceChildren(...boxes);
  }

  async function submit(ev) {
    ev.preventDefault();
    document.querySelectorAll('.field.invalid').forEach(e => e.classList.remove('invalid'));
    const body = {type: $('type').value};
    if ($('model').value) body.model = $('model').value;
    for (const [name, i] of inputs) {
      const v = i.value();
      if (v !== undefined && v !== null) body[name] = v;
    }
    const seed = $('seed').value.trim();
    let json = JSON.stringify(body);
    if (seed) {
      if (!/^\d+$/.test(seed)) return problem({detail: "'seed' must be a whole number", field: 'seed'});
      json = json.slice(0, -1) + (json.length > 2 ? ',' : '') + '"seed":' + seed + '}'; // 64-bit: kept as digits
    }
    $('submit').disabled = true;
    const res = await api('/v1/jobs', {method: 'POST', body: json});
    $('submit').disabled = false;
    if (res.ok) location.href = '/jobs/' + res.body.id;
    else problem(res.body || {detail: 'HTTP ' + res.status});
  }

  function problem(p) {
    $('submit-problem').hidden = false;
    $('submit-problem').textContent = (p.field ? p.field + ': ' : '') + (p.detail || p.title);
    const box = p.field && document.querySelector(`.field[data-field="${p.field}"]`);
    if (box) {
      box.classList.add('invalid');
      box.scrollIntoView({block: 'center'});
    }
  }

  /** "Edit and submit" from a job page: its type, model, seed and parameters in the form. */
  async function prefill(jobId) {
    const res = await api('/v1/jobs/' + jobId);
    if (!res.ok) return;
    const job = res.body;
    $('type').value = job.type;
    renderType(job.type);
    if ([...$('model').options].some(o => o.value === job.model)) $('model').value = job.model;
    $('seed').value = Dash.rawSeed(res.text) || '';
    for (const [name, v] of Object.entries(job.params || {})) if (inputs.has(name)) inputs.get(name).set(v);
    const original = (job.outputs || []).find(o => o.role === 'original');
    if (original && inputs.has('image')) inputs.get('image').set(await Dash.dataUrl(original.url));
    const mask = (job.outputs || []).find(o => o.role === 'mask');
    if (mask && inputs.has('mask')) inputs.get('mask').set(await Dash.dataUrl(mask.url));
  }

  Promise.all([api('/v1/job-types'), api('/v1/models')]).then(async ([t, m]) => {
    types = t.body || [];
    models = m.ok ? m.body : [];
    $('type').replaceChildren(...types.map(x => el('option', {value: x.type, text: x.type})));
    $('type').value = types.some(x => x.type === query.get('type')) ? query.get('type') : 'sample';
    $('type').addEventListener('change', () => renderType($('type').value));
    renderType($('type').value);
    if (query.get('model')) $('model').value = query.get('model');
    if (query.get('from')) await prefill(query.get('from'));
    $('submit-form').dataset.ready = 'true';
  });
  $('submit-form').addEventListener('submit', submit);
})();
