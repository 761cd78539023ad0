// The course's recorder widget (course_utils/recorder.py): microphone -> raw float32 PCM in the kernel.
//
// An AudioWorklet copies the microphone's samples (mono: the mean of the input's channels) in blocks of
// 2048 to this page; on Stop (or at max_seconds) the page joins them and sends them to the kernel as binary
// buffers (in parts of at most 4 MB), then the AudioContext's sample rate. Nothing is compressed, decoded or uploaded anywhere
// else: the samples go from the browser to the notebook's own kernel only.

const TAP = `
class CoursePcmTap extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(2048);
    this.filled = 0;
    this.port.onmessage = () => {            // "flush": send what is left, then say so
      this.port.postMessage(this.block.slice(0, this.filled));
      this.filled = 0;
      this.port.postMessage("flushed");
    };
  }
  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length) {
      const n = channels[0].length;
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let c = 0; c < channels.length; c++) sum += channels[c][i];
        this.block[this.filled++] = sum / channels.length;
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block);
          this.block = new Float32Array(2048);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}
registerProcessor("course-pcm-tap", CoursePcmTap);
`;

// Why the microphone cannot be used here, in one sentence, or null when it may be tried.
function unavailable() {
  if (!window.isSecureContext) {
    return ["insecure-origin", "This page is not a secure origin (" + location.origin + "): browsers allow the " +
      "microphone only on https:// or localhost pages, so upload a recording below instead."];
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return ["no-media-devices", "This browser (or the frame this notebook runs in) offers no microphone access: " +
      "upload a recording below instead."];
  }
  if (!window.AudioContext) {
    return ["no-web-audio", "This browser has no Web Audio: upload a recording below instead."];
  }
  return null;
}

function explain(error) {
  const name = (error && error.name) || "Error";
  if (name === "NotAllowedError" || name === "SecurityError") {
    return [name, "The browser refused the microphone (permission denied or blocked for this page): allow it " +
      "in the address bar's site settings and press Record again, or upload a recording below."];
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return [name, "No microphone was found: plug one in and press Record again, or upload a recording below."];
  }
  if (name === "NotReadableError" || name === "AbortError") {
    return [name, "The microphone is in use by another program or could not be started: close that program " +
      "and press Record again, or upload a recording below."];
  }
  return [name, "The microphone could not be started (" + name + ": " + ((error && error.message) || "no details") +
    "): upload a recording below instead."];
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  el.classList.add("course-recorder");
  const root = element("div", "course-recorder-box");
  root.style.cssText = "display:flex;flex-direction:column;gap:6px;font-family:var(--jp-ui-font-family,sans-serif);" +
    "font-size:13px;max-width:640px";
  const prompt = element("div", "course-recorder-prompt");
  prompt.style.cssText = "font-size:20px;font-weight:600;min-height:0";
  const row = element("div");
  row.style.cssText = "display:flex;align-items:center;gap:8px";
  const record = element("button", "course-recorder-record", "\u25CF Record");
  const stop = element("button", "course-recorder-stop", "\u25A0 Stop");
  for (const button of [record, stop]) {
    button.type = "button";
    button.style.cssText = "padding:4px 12px;font-size:13px;cursor:pointer";
  }
  record.style.color = "#b3261e";
  stop.disabled = true;
  const meter = element("div", "course-recorder-meter");
  meter.style.cssText = "position:relative;width:180px;height:12px;background:#e6e6e6;border-radius:3px;overflow:hidden";
  meter.title = "input level (peak, -60 to 0 dBFS)";
  const level = element("div", "course-recorder-level");
  level.style.cssText = "position:absolute;left:0;top:0;bottom:0;width:0;background:#2e7d32";
  meter.appendChild(level);
  const clock = element("span", "course-recorder-clock");
  clock.style.cssText = "font-variant-numeric:tabular-nums;color:#444";
  row.append(record, stop, meter, clock);
  const message = element("div", "course-recorder-message");
  message.style.cssText = "color:#b3261e;min-height:0";
  root.append(prompt, row, message);
  el.appendChild(root);

  let session = null;      // the take being recorded
  let starting = false;    // between a Record press and the microphone running (a second press is ignored)
  let peak = 0, drawn = false, redUntil = 0;

  const showClock = (seconds, sr) => {
    const max = model.get("max_seconds");
    clock.textContent = seconds.toFixed(1) + " s / " + max.toFixed(1) + " s" + (sr ? " \u00B7 " + sr + " Hz" : "");
  };
  const showPrompt = () => { prompt.textContent = model.get("prompt"); };
  const drawLevel = () => {
    drawn = false;
    const db = peak > 0 ? 20 * Math.log10(peak) : -60;
    level.style.width = Math.max(0, Math.min(1, (db + 60) / 60)) * 100 + "%";
    const now = performance.now();
    if (peak >= 0.999) redUntil = now + 1000;  // full scale (the kernel's clipping check uses the same level)
    level.style.background = now < redUntil ? "#b3261e" : db > -6 ? "#f9a825" : "#2e7d32";
    peak = 0;
  };
  const fail = ([reason, text]) => {
    message.textContent = text;
    model.send({ event: "unavailable", reason, message: text });
  };

  async function start() {
    if (session || starting) return;
    message.textContent = "";
    const problem = unavailable();
    if (problem) return fail(problem);
    starting = true;
    record.disabled = true;
    try {
      await open();
    } finally {
      starting = false;
      if (!session) record.disabled = false;
    }
  }

  async function open() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      });
    } catch (error) {
      return fail(explain(error));
    }
    const context = new AudioContext();
    if (context.state === "suspended") await context.resume();  // a strict autoplay policy may start it paused
    const source = context.createMediaStreamSource(stream);
    const silent = context.createGain();     // the tap must be pulled by the graph, but nothing is heard
    silent.gain.value = 0;
    const current = { stream, context, blocks: [], n: 0, sr: context.sampleRate, done: null };
    const take = (block) => {
      if (!block.length || current.sent) return;
      const max = Math.round(model.get("max_seconds") * current.sr);
      const room = max - current.n;
      if (room <= 0) return;
      const kept = block.length > room ? block.slice(0, room) : block;
      current.blocks.push(kept);
      current.n += kept.length;
      for (let i = 0; i < kept.length; i++) { const a = Math.abs(kept[i]); if (a > peak) peak = a; }
      if (!drawn) { drawn = true; requestAnimationFrame(drawLevel); }
      showClock(current.n / current.sr, current.sr);
      if (current.n >= max && !current.done) finish(current);
    };
    try {
      if (context.audioWorklet) {
        const url = URL.createObjectURL(new Blob([TAP], { type: "application/javascript" }));
        await context.audioWorklet.addModule(url);
        URL.revokeObjectURL(url);
        const tap = new AudioWorkletNode(context, "course-pcm-tap", { numberOfOutputs: 1, outputChannelCount: [1] });
        current.flush = () => new Promise((resolve) => {
          const timer = setTimeout(resolve, 500);
          tap.port.onmessage = (event) => {
            if (event.data === "flushed") { clearTimeout(timer); resolve(); } else take(event.data);
          };
          tap.port.postMessage("flush");
        });
        tap.port.onmessage = (event) => take(event.data);
        source.connect(tap).connect(silent).connect(context.destination);
      } else {                                // older browsers: the deprecated ScriptProcessorNode
        const processor = context.createScriptProcessor(2048, 1, 1);
        processor.onaudioprocess = (event) => take(new Float32Array(event.inputBuffer.getChannelData(0)));
        current.flush = async () => {};
        source.connect(processor).connect(silent).connect(context.destination);
      }
    } catch (error) {
      stream.getTracks().forEach((track) => track.stop());
      context.close();
      return fail(["no-audio-worklet", "The browser could not start recording (" + error + "): upload a recording below instead."]);
    }
    session = current;
    record.disabled = true;
    stop.disabled = false;
    showClock(0, current.sr);
    model.send({ event: "started", sr: current.sr });
  }

  async function finish(current = session) {
    if (!current || current.done || current !== session) return;
    current.done = true;
    stop.disabled = true;
    await current.flush();
    current.sent = true;
    current.stream.getTracks().forEach((track) => track.stop());
    await current.context.close();
    const pcm = new Float32Array(current.n);
    let offset = 0;
    for (const block of current.blocks) {
      const part = block.subarray(0, Math.min(block.length, current.n - offset));
      pcm.set(part, offset);
      offset += part.length;
    }
    session = null;
    record.disabled = false;
    stop.disabled = true;
    peak = 0;
    drawLevel();
    // In parts of at most 4 MB: the server refuses a single websocket message over 10 MiB (a minute at 48 kHz).
    const PART = Math.max(1024, model.get("part_samples"));
    const parts = Math.max(1, Math.ceil(current.n / PART));
    for (let i = 0; i < parts; i++) {
      model.send({ event: "part", index: i, parts }, undefined, [pcm.slice(i * PART, (i + 1) * PART).buffer]);
    }
    model.send({ event: "take", sr: current.sr, n_samples: current.n, parts });
  }

  record.addEventListener("click", start);
  stop.addEventListener("click", () => finish());
  model.on("change:prompt", showPrompt);
  model.on("change:max_seconds", () => { if (!session) showClock(0, 0); });
  showPrompt();
  showClock(0, 0);
  const problem = unavailable();  // say at once, not only after a press, when this page cannot record
  if (problem) message.textContent = problem[1];
  return () => {                               // the view is removed: release the microphone
    if (session) {
      session.stream.getTracks().forEach((track) => track.stop());
      session.context.close();
      session = null;
    }
  };
}

export default { render };
