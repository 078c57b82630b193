// Draw a digit: a canvas, MNIST's preprocessing and the forward pass of a mathlib model.
// One file for both places (see mathlib/drawpad.py): the static book page runs it as a classic
// <script>; JupyterLab's anywidget loads it as an ES module with `export default` appended.
// No framework, no request: the model's weights travel in the page as JSON + base64.
var MathlibDrawpad = (typeof window !== "undefined" && window.MathlibDrawpad) || (function () {
  "use strict";
  var BOX = 20, SIZE = 28, CENTER = 14;  // mathlib.preprocess: BOX, SIZE, CENTER
  var CANVAS = 280, PEN = 20;            // canvas pixels; a 20 px pen = 2 MNIST pixels after scaling

  function roundHalfUp(x) { return Math.floor(x + 0.5); }

  // A (m, n) as a dense row-major array: target pixel i averages source [i n/m, (i+1) n/m).
  function areaMatrix(n, m) {
    var r = n / m, A = new Float64Array(m * n);
    for (var i = 0; i < m; i++) {
      var lo = i * r, hi = lo + r;
      for (var j = Math.floor(lo); j < Math.min(n, Math.ceil(hi)); j++) {
        var ov = Math.min(j + 1, hi) - Math.max(j, lo);
        if (ov > 0) A[i * n + j] = ov / r;
      }
    }
    return A;
  }

  // resize_area: img (H, W) row-major -> (h, w), I' = A_y I A_x^T.
  function resizeArea(img, H, W, h, w) {
    var Ay = areaMatrix(H, h), Ax = areaMatrix(W, w);
    var tmp = new Float64Array(h * W);  // A_y I
    for (var i = 0; i < h; i++)
      for (var y = 0; y < H; y++) {
        var a = Ay[i * H + y];
        if (a === 0) continue;
        for (var x = 0; x < W; x++) tmp[i * W + x] += a * img[y * W + x];
      }
    var out = new Float64Array(h * w);
    for (i = 0; i < h; i++)
      for (var k = 0; k < w; k++) {
        var s = 0;
        for (x = 0; x < W; x++) s += tmp[i * W + x] * Ax[k * W + x];
        out[i * w + k] = s;
      }
    return out;
  }

  // preprocess_digit: grey (H*W) in [0, 1] -> Float64Array(784), or null for an empty canvas.
  function preprocess(grey, H, W) {
    var r0 = H, r1 = -1, c0 = W, c1 = -1;
    for (var y = 0; y < H; y++)
      for (var x = 0; x < W; x++)
        if (grey[y * W + x] > 0) {
          if (y < r0) r0 = y; if (y > r1) r1 = y;
          if (x < c0) c0 = x; if (x > c1) c1 = x;
        }
    if (r1 < 0) return null;
    var h = r1 - r0 + 1, w = c1 - c0 + 1, crop = new Float64Array(h * w);  // 1. crop
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) crop[y * w + x] = grey[(r0 + y) * W + c0 + x];
    var s = BOX / Math.max(h, w);                                            // 2. into 20x20
    var hh = Math.max(1, roundHalfUp(h * s)), ww = Math.max(1, roundHalfUp(w * s));
    var small = resizeArea(crop, h, w, hh, ww);
    var mx = 0, i;
    for (i = 0; i < small.length; i++) if (small[i] > mx) mx = small[i];
    var mass = 0, my = 0, mxc = 0;
    for (y = 0; y < hh; y++)
      for (x = 0; x < ww; x++) {
        var v = small[y * ww + x] / mx;                                      // 3. darkest = 1
        small[y * ww + x] = v; mass += v; my += v * y; mxc += v * x;
      }
    var oy = roundHalfUp(CENTER - my / mass), ox = roundHalfUp(CENTER - mxc / mass);  // 4.
    var out = new Float64Array(SIZE * SIZE);
    for (y = 0; y < hh; y++)
      for (x = 0; x < ww; x++) {
        var ty = y + oy, tx = x + ox;
        if (ty >= 0 && ty < SIZE && tx >= 0 && tx < SIZE)
          out[ty * SIZE + tx] = Math.min(1, Math.max(0, small[y * ww + x]));
      }
    return out;
  }

  // Without preprocessing: the whole canvas area-averaged to 28x28 (what a naive reader does).
  function naive(grey, H, W) { return resizeArea(grey, H, W, SIZE, SIZE); }

  function bytes(b64) {
    var bin = atob(b64), u8 = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
    return u8;
  }

  // The exported model (mathlib.drawpad.export_model): dense and conv layers with int8 weights
  // and one float32 scale per output unit / channel, W = q * scale; float32 biases; ReLU,
  // max-pool and flatten layers carry no numbers.
  function decode(config) {
    var layers = config.layers.map(function (L) {
      if (L.type !== "dense" && L.type !== "conv") return L;
      var out = {
        type: L.type, din: L["in"], dout: L.out,
        q: new Int8Array(bytes(L.q).buffer),
        scale: new Float32Array(bytes(L.scale).buffer),
        b: new Float32Array(bytes(L.b).buffer),
      };
      if (L.type === "conv") { out.kh = L.k[0]; out.kw = L.k[1]; out.stride = L.stride; out.pads = L.pads; }
      return out;
    });
    return { name: config.name, layers: layers, hidden: config.hidden };
  }

  // Dense: z_k = scale_k * sum_d a_d q[d, k] + b_k  (q row-major (D, K)), like X W + b.
  function dense(L, a) {
    var K = L.dout, z = new Float64Array(K);
    for (var d = 0; d < L.din; d++) {
      var ad = a[d];
      if (ad === 0) continue;  // most pixels are paper, many units are off after a ReLU
      var row = d * K;
      for (var k = 0; k < K; k++) z[k] += ad * L.q[row + k];
    }
    for (k = 0; k < K; k++) z[k] = z[k] * L.scale[k] + L.b[k];
    return z;
  }

  // Conv2D (cross-correlation, as mathlib.conv): maps a (C, H, W) channel-first, q row-major
  // (F, kh, kw, C) (mathlib's im2col column order), zero padding pads = [top, bottom, left, right]:
  // out[f, i, j] = scale_f * sum_{u,v,c} q[f, u, v, c] a[c, s i + u - top, s j + v - left] + b_f.
  function conv(L, a, shape) {
    var C = shape[0], H = shape[1], W = shape[2], F = L.dout, kh = L.kh, kw = L.kw, s = L.stride;
    var pt = L.pads[0], pl = L.pads[2];
    var Ho = Math.floor((H + L.pads[0] + L.pads[1] - kh) / s) + 1;
    var Wo = Math.floor((W + L.pads[2] + L.pads[3] - kw) / s) + 1;
    var out = new Float64Array(F * Ho * Wo), HW = H * W;
    for (var f = 0; f < F; f++)
      for (var i = 0; i < Ho; i++)
        for (var j = 0; j < Wo; j++) {
          var sum = 0;
          for (var u = 0; u < kh; u++) {
            var y = s * i + u - pt;
            if (y < 0 || y >= H) continue;  // a row of padding zeros
            for (var v = 0; v < kw; v++) {
              var x = s * j + v - pl;
              if (x < 0 || x >= W) continue;
              var qi = ((f * kh + u) * kw + v) * C, ai = y * W + x;
              for (var c = 0; c < C; c++) sum += L.q[qi + c] * a[c * HW + ai];
            }
          }
          out[(f * Ho + i) * Wo + j] = sum * L.scale[f] + L.b[f];
        }
    return { a: out, shape: [F, Ho, Wo] };
  }

  // MaxPool2D: the largest value of each size x size window, windows `stride` apart.
  function maxpool(L, a, shape) {
    var C = shape[0], H = shape[1], W = shape[2], k = L.size, s = L.stride;
    var Ho = Math.floor((H - k) / s) + 1, Wo = Math.floor((W - k) / s) + 1;
    var out = new Float64Array(C * Ho * Wo);
    for (var c = 0; c < C; c++)
      for (var i = 0; i < Ho; i++)
        for (var j = 0; j < Wo; j++) {
          var m = -Infinity;
          for (var u = 0; u < k; u++)
            for (var v = 0; v < k; v++) {
              var val = a[(c * H + s * i + u) * W + s * j + v];
              if (val > m) m = val;
            }
          out[(c * Ho + i) * Wo + j] = m;
        }
    return { a: out, shape: [C, Ho, Wo] };
  }

  // The same layers as mathlib, then softmax from the logits. x: the 784 input values, read as
  // (1, 28, 28) by a convolution. Maps stay channel-first (C, H, W) in memory, so flatten is
  // mathlib's Flatten order (c, i, j) and costs nothing.
  function forward(model, x) {
    var a = x, shape = [1, SIZE, SIZE], acts = [];
    model.layers.forEach(function (L) {
      var r;
      if (L.type === "relu") {
        r = new Float64Array(a.length);
        for (var i = 0; i < a.length; i++) r[i] = a[i] > 0 ? a[i] : 0;
        a = r;
      } else if (L.type === "dense") {
        a = dense(L, a); shape = [a.length];
      } else if (L.type === "conv") {
        r = conv(L, a, shape); a = r.a; shape = r.shape;
      } else if (L.type === "maxpool") {
        r = maxpool(L, a, shape); a = r.a; shape = r.shape;
      } else if (L.type === "flatten") {
        shape = [a.length];
      } else {
        throw new Error("drawpad: unknown layer type " + L.type);
      }
      acts.push(a);
    });
    var m = -Infinity, j, p = new Float64Array(a.length), sum = 0;
    for (j = 0; j < a.length; j++) if (a[j] > m) m = a[j];
    for (j = 0; j < a.length; j++) { p[j] = Math.exp(a[j] - m); sum += p[j]; }
    for (j = 0; j < a.length; j++) p[j] /= sum;
    return { logits: a, probs: p, hidden: model.hidden == null ? null : acts[model.hidden] };
  }

  function argmax(v) {
    var best = 0;
    for (var i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
    return best;
  }

  var CSS = ".mdp{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start;font:14px/1.3 sans-serif}" +
    ".mdp canvas.mdp-draw{width:min(280px,80vw);aspect-ratio:1;background:#fff;border:1px solid #888;" +
    "touch-action:none;cursor:crosshair}" +
    ".mdp .mdp-col{display:flex;flex-direction:column;gap:6px}" +
    // Narrow columns whose headings wrap, and the models' columns kept together: a book's text
    // column (about 620 px) holds the canvas, the 28x28 view and one model in one row; with two
    // models they move below the canvas as a pair instead of one under the other, on a phone
    // (about 390 px) too.
    ".mdp .mdp-mid{width:8.5em}" +
    ".mdp .mdp-models{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}" +
    ".mdp .mdp-model{width:13.3em}" +
    ".mdp canvas.mdp-px{width:112px;height:112px;image-rendering:pixelated;border:1px solid #888}" +
    ".mdp .mdp-bar{display:grid;grid-template-columns:1.2em 1fr 4.5em;gap:4px;align-items:center;white-space:nowrap}" +
    ".mdp .mdp-bar span.mdp-track{height:12px;background:#eee;position:relative}" +
    ".mdp .mdp-bar span.mdp-fill{position:absolute;left:0;top:0;bottom:0;background:#1f77b4}" +
    ".mdp .mdp-bar.mdp-top span.mdp-fill{background:#d62728}" +
    ".mdp .mdp-pred{font-size:1.3em;font-weight:bold}";

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function paintGrid(cv, values, side, scaleMax) {
    var ctx = cv.getContext("2d"), img = ctx.createImageData(side, side);
    for (var i = 0; i < side * side; i++) {
      var v = i < values.length ? values[i] / scaleMax : 0;
      var g = 255 - Math.round(255 * Math.max(0, Math.min(1, v)));
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  // The pad's own words; mathlib.drawpad passes those of the book's language (mathlib.i18n
  // PAD_TEXT), and a missing word falls back to English. {name}, {n}: filled in below.
  var TEXT = { clear: "Clear", preprocess: "MNIST preprocessing",
               canvas: "Drawing pad: draw a digit from 0 to 9 with the mouse or a finger",
               sees_one: "What the network sees (28×28)", sees_many: "What the networks see (28×28)",
               reads_one: "The network reads: ", reads_many: "{name} reads: ",
               empty: "Draw a digit", probs: "{name}: softmax probabilities",
               hidden: "Hidden units ({n}, ReLU)" };

  function fill(template, key, value) { return template.split("{" + key + "}").join(value); }

  // Build the pad inside `root`: one canvas and one 28x28 input for one model or several
  // (config: an export or a list of exports), each with its prediction, its ten bars and, for an
  // MLP, its hidden units. onDigit(Float64Array(784) | null) is called after each update.
  // text: the pad's words (see TEXT), or null for English.
  function mount(root, config, onDigit, text) {
    var T = {};
    Object.keys(TEXT).forEach(function (k) { T[k] = text && typeof text[k] === "string" ? text[k] : TEXT[k]; });
    if (!document.getElementById("mdp-style")) {
      var st = el("style", null, document.head, CSS);
      st.id = "mdp-style";
    }
    var models = (Array.isArray(config) ? config : [config]).map(decode);
    var box = el("div", "mdp", root);
    var left = el("div", "mdp-col", box);
    var cv = el("canvas", "mdp-draw", left);
    cv.width = cv.height = CANVAS;
    cv.setAttribute("role", "img");
    cv.setAttribute("aria-label", T.canvas);
    var ctx = cv.getContext("2d", { willReadFrequently: true });
    var tools = el("div", null, left);
    var clear = el("button", "mdp-clear", tools, T.clear);
    clear.type = "button";
    var lab = el("label", null, tools);
    var pre = el("input", "mdp-preprocess", lab);
    pre.type = "checkbox"; pre.checked = true;
    lab.appendChild(document.createTextNode(" " + T.preprocess));

    var mid = el("div", "mdp-col mdp-mid", box);
    el("div", null, mid, models.length > 1 ? T.sees_many : T.sees_one);
    var px = el("canvas", "mdp-px", mid); px.width = px.height = SIZE;

    // One column per model: prediction, hidden units (MLP only), ten softmax bars.
    var modelBox = el("div", "mdp-models", box);
    var views = models.map(function (model) {
      var col = el("div", "mdp-col mdp-model", modelBox);
      var v = { model: model, hiddenCv: null, hside: 0, bars: [],
                lead: models.length > 1 ? fill(T.reads_many, "name", model.name) : T.reads_one };
      v.pred = el("div", "mdp-pred", col, T.empty);
      v.pred.setAttribute("aria-live", "polite");
      el("div", null, col, fill(T.probs, "name", model.name));
      for (var k = 0; k < 10; k++) {
        var row = el("div", "mdp-bar", col);
        el("span", null, row, String(k));
        var track = el("span", "mdp-track", row);
        v.bars.push({ row: row, fill: el("span", "mdp-fill", track), pct: el("span", "mdp-pct", row, "") });
      }
      if (model.hidden != null) {
        var hsize = model.layers[model.hidden - 1].dout;  // the ReLU after a dense layer
        v.hside = Math.ceil(Math.sqrt(hsize));
        el("div", null, col, fill(T.hidden, "n", String(hsize)));
        v.hiddenCv = el("canvas", "mdp-px mdp-hidden", col);
        v.hiddenCv.width = v.hiddenCv.height = v.hside;
      }
      return v;
    });

    // state: the first model's results at the top level, every model's in state.models.
    var state = { input: null, probs: null, hidden: null, prediction: null, updates: 0,
                  models: views.map(function (v) { return { name: v.model.name, prediction: null, probs: null, hidden: null }; }) };
    root.drawpad = state;

    function grey() {
      var d = ctx.getImageData(0, 0, CANVAS, CANVAS).data, g = new Float64Array(CANVAS * CANVAS);
      for (var i = 0; i < g.length; i++) g[i] = d[4 * i + 3] / 255;
      return g;
    }
    state.grey = grey;

    function show(v, s, out) {
      if (out === null) {
        s.probs = s.hidden = s.prediction = null;
        v.pred.textContent = T.empty;
        if (v.hiddenCv) paintGrid(v.hiddenCv, [], v.hside, 1);
        v.bars.forEach(function (b) { b.fill.style.width = "0%"; b.pct.textContent = ""; b.row.className = "mdp-bar"; });
        return;
      }
      var top = argmax(out.probs);
      s.probs = out.probs; s.hidden = out.hidden; s.prediction = top;
      v.pred.textContent = v.lead + top;
      if (v.hiddenCv) {
        var hm = 0;
        for (var i = 0; i < out.hidden.length; i++) if (out.hidden[i] > hm) hm = out.hidden[i];
        paintGrid(v.hiddenCv, out.hidden, v.hside, hm > 0 ? hm : 1);
      }
      v.bars.forEach(function (b, j) {
        var p = out.probs[j];
        b.fill.style.width = (100 * p).toFixed(1) + "%";
        b.pct.textContent = (100 * p).toFixed(1) + " %";
        b.row.className = j === top ? "mdp-bar mdp-top" : "mdp-bar";
      });
    }

    function update() {
      var g = grey(), x = pre.checked ? preprocess(g, CANVAS, CANVAS) : naive(g, CANVAS, CANVAS);
      var empty = x === null || !x.some(function (v) { return v > 0; });
      state.updates += 1;
      state.input = empty ? null : x;
      paintGrid(px, empty ? [] : x, SIZE, 1);
      views.forEach(function (v, m) { show(v, state.models[m], empty ? null : forward(v.model, x)); });
      var first = state.models[0];
      state.probs = first.probs; state.hidden = first.hidden; state.prediction = first.prediction;
      root.dataset.prediction = empty ? "" : state.models.map(function (s) { return s.prediction; }).join(",");
      if (onDigit) onDigit(empty ? null : x);
    }
    state.update = update;

    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; update(); });
    }
    var last = null;
    function pos(e) {
      var r = cv.getBoundingClientRect();
      return [(e.clientX - r.left) * CANVAS / r.width, (e.clientY - r.top) * CANVAS / r.height];
    }
    function line(a, b) {
      ctx.lineWidth = PEN; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#000";
      ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
    }
    cv.addEventListener("pointerdown", function (e) {
      e.preventDefault();
      cv.setPointerCapture(e.pointerId);
      last = pos(e); line(last, last); schedule();
    });
    cv.addEventListener("pointermove", function (e) {
      if (last === null) return;
      var p = pos(e); line(last, p); last = p; schedule();
    });
    function up() { last = null; schedule(); }
    cv.addEventListener("pointerup", up);
    cv.addEventListener("pointercancel", up);
    clear.addEventListener("click", function () { ctx.clearRect(0, 0, CANVAS, CANVAS); update(); });
    pre.addEventListener("change", update);
    update();
    return state;
  }

  // anywidget entry point: the drawn digit goes to Python as the synced `_digit` trait (784
  // floats), which DrawPad.digit reads.
  function renderWidget(ctx) {
    var model = ctx.model;
    var text = model.get("text");
    mount(ctx.el, JSON.parse(model.get("config")), function (x) {
      model.set("_digit", x === null ? [] : Array.prototype.slice.call(x));
      model.save_changes();
    }, text ? JSON.parse(text) : null);
  }

  // Static page: mount every pad whose config sits in the page and is not mounted yet.
  function mountAll() {
    var nodes = document.querySelectorAll("div.mathlib-drawpad:not([data-mounted])");
    Array.prototype.forEach.call(nodes, function (node) {
      node.setAttribute("data-mounted", "1");
      var cfg = node.querySelector("script[type='application/json']:not(.mdp-text)");
      var text = node.querySelector("script.mdp-text");
      mount(node, JSON.parse(cfg.textContent), null, text ? JSON.parse(text.textContent) : null);
    });
  }

  var api = { preprocess: preprocess, naive: naive, decode: decode, forward: forward,
              argmax: argmax, mount: mount, mountAll: mountAll, renderWidget: renderWidget };
  if (typeof window !== "undefined") window.MathlibDrawpad = api;
  return api;
})();
