// The submit form's image inputs: upload with a preview, a drawing canvas (SDEdit on hand-drawn images, as the
// writeup does), and a mask painter over the chosen image (inpainting: white where new content goes).
'use strict';

const Canvases = (() => {
  const {el} = Dash;
  const SIZE = 256;

  /** Lets a canvas be painted with the mouse, pen or a finger; brush() gives {color, size}; onStroke after each. */
  function paintable(canvas, brush, onStroke) {
    let last = null;
    const at = ev => {
      const r = canvas.getBoundingClientRect();
      return [(ev.clientX - r.left) * canvas.width / r.width, (ev.clientY - r.top) * canvas.height / r.height];
    };
    const line = (from, to) => {
      const g = canvas.getContext('2d');
      const b = brush();
      g.strokeStyle = g.fillStyle = b.color;
      g.lineWidth = b.size;
      g.lineCap = 'round';
      g.beginPath();
      g.moveTo(from[0], from[1]);
      g.lineTo(to[0], to[1]);
      g.stroke();
    };
    canvas.addEventListener('pointerdown', ev => {
      canvas.setPointerCapture(ev.pointerId);
      last = at(ev);
      line(last, last);
      ev.preventDefault();
    });
    canvas.addEventListener('pointermove', ev => {
      if (!last) return;
      const p = at(ev);
      line(last, p);
      last = p;
    });
    const end = () => {
      if (!last) return;
      last = null;
      canvas.dataset.strokes = String(Number(canvas.dataset.strokes || 0) + 1);
      if (onStroke) onStroke();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  function fill(canvas, color) {
    const g = canvas.getContext('2d');
    g.fillStyle = color;
    g.fillRect(0, 0, canvas.width, canvas.height);
  }

  function sizeInput(value) {
    return el('input', {type: 'range', min: '2', max: '64', value: String(value)});
  }

  /**
   * An image field: a file upload with its preview, or a drawing. value() is a data URL (PNG or JPEG) or null;
   * listeners of 'change' on element hear of every new picture.
   */
  function imageField(name) {
    let uploaded = null;
    let mode = 'upload';
    const preview = el('img', {class: 'upload-preview', alt: name + ' preview', hidden: true});
    const file = el('input', {type: 'file', accept: 'image/png,image/jpeg', 'data-field': name});
    const draw = el('canvas', {class: 'draw', width: String(SIZE), height: String(SIZE), 'data-draw': name});
    fill(draw, '#ffffff');
    const color = el('input', {type: 'color', value: '#3a6ea5'});
    const size = sizeInput(12);
    const drawBox = el('div', {class: 'canvas-box', hidden: true}, draw,
        el('div', {class: 'tools'}, el('label', {}, 'colour', color), el('label', {}, 'brush', size),
            el('button', {type: 'button', class: 'secondary', onclick: () => {
              fill(draw, '#ffffff');
              changed();
            }}, 'Clear')));
    const toggle = el('button', {type: 'button', class: 'secondary', 'data-draw-toggle': name}, 'Draw instead');
    const box = el('div', {}, el('div', {class: 'canvas-box'}, file, toggle, preview), drawBox);
    const changed = () => box.dispatchEvent(new Event('change'));
    paintable(draw, () => ({color: color.value, size: Number(size.value)}), changed);
    toggle.addEventListener('click', () => {
      mode = mode === 'draw' ? 'upload' : 'draw';
      drawBox.hidden = mode !== 'draw';
      toggle.textContent = mode === 'draw' ? 'Use the upload' : 'Draw instead';
      changed();
    });
    file.addEventListener('change', () => {
      const f = file.files[0];
      if (!f) return;
      const r = new FileReader();
      r.onload = () => {
        uploaded = r.result;
        preview.src = uploaded;
        preview.hidden = false;
        mode = 'upload';
        drawBox.hidden = true;
        toggle.textContent = 'Draw instead';
        changed();
      };
      r.readAsDataURL(f);
    });
    return {
      element: box,
      value: () => (mode === 'draw' ? draw.toDataURL('image/png') : uploaded),
      set: url => {
        uploaded = url;
        preview.src = url;
        preview.hidden = !url;
        changed();
      },
    };
  }

  /**
   * A mask painted over another image field's picture: white (1) where the model paints new content, black (0) where
   * the image is kept. value() is the mask as a PNG data URL, the size of the canvas (the worker resizes it).
   */
  function maskPainter(name, image) {
    const under = el('img', {alt: 'the image to inpaint'});
    const mask = el('canvas', {class: 'mask', width: String(SIZE), height: String(SIZE), 'data-mask': name});
    fill(mask, '#000000');
    const size = sizeInput(32);
    let painted = false;
    const stack = el('div', {class: 'stack'}, under, mask);
    const tools = el('div', {class: 'tools'},
        el('span', {text: 'Paint white where new content goes.'}), el('label', {}, 'brush', size),
        el('button', {type: 'button', class: 'secondary', onclick: () => fill(mask, '#000000')}, 'Clear'),
        el('button', {type: 'button', class: 'secondary', onclick: () => {
          painted = true;
          fill(mask, '#ffffff');
        }}, 'All'),
        el('button', {type: 'button', class: 'secondary', onclick: () => {
          const g = mask.getContext('2d');
          const d = g.getImageData(0, 0, SIZE, SIZE);
          for (let i = 0; i < d.data.length; i += 4) {
            d.data[i] = d.data[i + 1] = d.data[i + 2] = 255 - d.data[i];
          }
          g.putImageData(d, 0, 0);
          painted = true;
        }}, 'Invert'));
    paintable(mask, () => ({color: '#ffffff', size: Number(size.value)}), () => {
      painted = true;
    });
    const show = () => {
      const url = image ? image.value() : null;
      under.hidden = !url;
      if (url) under.src = url;
    };
    if (image) image.element.addEventListener('change', show);
    return {
      element: el('div', {class: 'canvas-box'}, stack, tools),
      value: () => (painted ? mask.toDataURL('image/png') : null),
      set: url => {
        if (!url) return;
        const img = new Image();
        img.onload = () => {
          mask.getContext('2d').drawImage(img, 0, 0, SIZE, SIZE);
          painted = true;
        };
        img.src = url;
      },
    };
  }

  return {imageField, maskPainter};
})();
