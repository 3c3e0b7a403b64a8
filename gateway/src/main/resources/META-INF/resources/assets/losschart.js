// The training loss of a train job, drawn on a canvas as it grows: loss (log scale) per step, epochs marked.
'use strict';

class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = new Map(); // step -> {step, loss, epoch}
  }

  /** Adds the loss the trainer reported at a step (the mean of its last ten steps). Returns whether it was new. */
  add(step, loss, epoch) {
    if (step === null || step === undefined || loss === null || loss === undefined || !(loss > 0)) return false;
    if (this.points.has(step)) return false;
    this.points.set(step, {step, loss, epoch});
    return true;
  }

  /** Adds every step of a stored losses file (per-step losses), smoothed over ten steps as the live reports are. */
  addAll(losses, stepsPerEpoch) {
    let sum = 0;
    for (let i = 0; i < losses.length; i++) {
      sum += losses[i];
      if (i >= 10) sum -= losses[i - 10];
      const n = Math.min(10, i + 1);
      const epoch = stepsPerEpoch ? Math.floor(i / stepsPerEpoch) + 1 : null;
      this.add(i + 1, sum / n, epoch);
    }
  }

  size() {
    return this.points.size;
  }

  draw() {
    const c = this.canvas;
    const g = c.getContext('2d');
    const w = c.width;
    const h = c.height;
    const pad = {l: 56, r: 12, t: 10, b: 28};
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    c.dataset.points = String(this.points.size);
    const pts = [...this.points.values()].sort((a, b) => a.step - b.step);
    g.fillStyle = '#667085';
    g.font = '11px sans-serif';
    if (pts.length === 0) {
      g.fillText('waiting for the first training step', pad.l, h / 2);
      return;
    }
    const maxStep = Math.max(pts[pts.length - 1].step, 2);
    const logs = pts.map(p => Math.log10(p.loss));
    let lo = Math.floor(Math.min(...logs) * 4) / 4;
    let hi = Math.ceil(Math.max(...logs) * 4) / 4;
    if (hi - lo < 0.25) hi = lo + 0.25;
    const x = s => pad.l + (s - 1) / (maxStep - 1) * (w - pad.l - pad.r);
    const y = l => pad.t + (hi - l) / (hi - lo) * (h - pad.t - pad.b);
    // Axes: a grid line per quarter decade, labelled with the loss.
    g.strokeStyle = '#e4e7ec';
    g.lineWidth = 1;
    for (let l = lo; l <= hi + 1e-9; l += 0.25) {
      g.beginPath();
      g.moveTo(pad.l, y(l));
      g.lineTo(w - pad.r, y(l));
      g.stroke();
      g.fillText(Math.pow(10, l).toPrecision(2), 4, y(l) + 4);
    }
    // Epoch boundaries.
    g.strokeStyle = '#c9d2e3';
    g.setLineDash([4, 4]);
    let last = pts[0].epoch;
    for (const p of pts) {
      if (p.epoch !== null && p.epoch !== last) {
        g.beginPath();
        g.moveTo(x(p.step), pad.t);
        g.lineTo(x(p.step), h - pad.b);
        g.stroke();
        g.fillText('epoch ' + p.epoch, x(p.step) + 3, pad.t + 10);
        last = p.epoch;
      }
    }
    g.setLineDash([]);
    g.fillText('step ' + pts[pts.length - 1].step, w - pad.r - 60, h - 8);
    g.fillText('1', pad.l, h - 8);
    g.strokeStyle = '#3056d3';
    g.lineWidth = 1.5;
    g.beginPath();
    pts.forEach((p, i) => (i ? g.lineTo(x(p.step), y(Math.log10(p.loss))) : g.moveTo(x(p.step), y(Math.log10(p.loss)))));
    g.stroke();
  }
}
