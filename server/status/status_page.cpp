#include "status/status_page.hpp"

namespace wordcrawl {
namespace {

// Stable ids and classes for tests: #queue-depth, #queue-capacity, #queue-fill, #parked,
// #clients, #processed, #ok, #failed, #rate, #error-rate, #sparkline,
// .worker[data-state=idle|fetching|counting] with .host and .url inside.
constexpr std::string_view page = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wordcrawl status</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 16px; background: #f6f7f9; color: #222; }
h1 { font-size: 18px; margin: 0 0 12px; }
#pipeline { display: flex; align-items: stretch; gap: 10px; flex-wrap: wrap; }
.stage { background: #fff; border: 1px solid #ccd; border-radius: 6px; padding: 8px 10px;
         min-width: 110px; }
.stage h2 { font-size: 12px; text-transform: uppercase; color: #667; margin: 0 0 6px; }
.arrow { align-self: center; font-size: 22px; color: #889; }
.big { font-size: 22px; font-weight: 600; }
#queue-bar { width: 160px; height: 14px; background: #e4e6ea; border-radius: 3px;
             overflow: hidden; margin-top: 4px; }
#queue-fill { height: 100%; width: 0; background: #3a7bd5; transition: width .3s; }
#workers { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr));
           gap: 6px; min-width: 320px; max-width: 640px; }
.worker { border-radius: 4px; padding: 4px 6px; font-size: 12px; overflow: hidden;
          white-space: nowrap; text-overflow: ellipsis; border: 1px solid #ccd; }
.worker[data-state=idle] { background: #eef0f3; color: #889; }
.worker[data-state=fetching] { background: #dcebff; border-color: #3a7bd5; }
.worker[data-state=counting] { background: #dff5e1; border-color: #2e9e44; }
.worker .url { color: #556; font-size: 11px; overflow: hidden; text-overflow: ellipsis; }
#charts { margin-top: 14px; background: #fff; border: 1px solid #ccd; border-radius: 6px;
          padding: 8px 10px; max-width: 660px; }
#sparkline { width: 640px; height: 80px; display: block; }
.legend span { margin-right: 14px; }
#conn { color: #a33; margin-left: 8px; font-size: 12px; }
</style>
</head>
<body>
<h1>wordcrawl <span id="conn"></span></h1>
<div id="pipeline">
  <div class="stage" id="stage-clients"><h2>clients</h2><div class="big" id="clients">-</div></div>
  <div class="arrow">&rarr;</div>
  <div class="stage" id="stage-master"><h2>master</h2><div>parked <span id="parked">-</span></div>
    <div id="stopping"></div></div>
  <div class="arrow">&rarr;</div>
  <div class="stage" id="stage-queue"><h2>queue</h2>
    <div><span class="big" id="queue-depth">-</span> / <span id="queue-capacity">-</span></div>
    <div id="queue-bar"><div id="queue-fill"></div></div></div>
  <div class="arrow">&rarr;</div>
  <div class="stage" id="stage-workers"><h2>workers <span id="busy">-</span> busy</h2>
    <div id="workers"></div></div>
  <div class="arrow">&rarr;</div>
  <div class="stage" id="stage-replies"><h2>replies</h2>
    <div class="big" id="processed">-</div>
    <div>ok <span id="ok">-</span>, failed <span id="failed">-</span></div></div>
</div>
<div id="charts">
  <div class="legend"><span>throughput <b id="rate">-</b> URLs/s</span>
    <span>errors <b id="error-rate">-</b></span><span style="color:#3a7bd5">&#9632; URLs/s</span>
    <span style="color:#c33">&#9632; error share</span></div>
  <canvas id="sparkline" width="640" height="80"></canvas>
</div>
<script>
"use strict";
const history = [];          // {t, processed, failed}, the last five minutes
const keepMs = 5 * 60 * 1000;
let timer = null;
function $(id) { return document.getElementById(id); }
function setText(id, value) { $(id).textContent = String(value); }
function renderWorkers(workers) {
  const box = $("workers");
  while (box.children.length > workers.length) box.removeChild(box.lastChild);
  workers.forEach((w, i) => {
    let el = box.children[i];
    if (!el) {
      el = document.createElement("div");
      el.className = "worker";
      el.innerHTML = '<div class="head"></div><div class="url"></div>';
      box.appendChild(el);
    }
    el.dataset.state = w.state;
    el.dataset.id = String(w.id);
    el.querySelector(".head").textContent =
        "#" + w.id + " " + w.state + (w.host ? " " + w.host : "");
    el.querySelector(".url").textContent = w.url || "";
    el.title = w.url || w.state;
  });
}
function rates() {
  const out = [];
  for (let i = 1; i < history.length; ++i) {
    const a = history[i - 1], b = history[i];
    const dt = (b.t - a.t) / 1000, done = b.processed - a.processed;
    out.push({rate: dt > 0 ? done / dt : 0, errors: done > 0 ? (b.failed - a.failed) / done : 0});
  }
  return out;
}
function drawSparkline(points) {
  const canvas = $("sparkline"), g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (points.length < 2) return;
  const top = Math.max(1, ...points.map(p => p.rate));
  const x = i => i * (canvas.width - 1) / (points.length - 1);
  const line = (value, scale, color) => {
    g.beginPath(); g.strokeStyle = color; g.lineWidth = 1.5;
    points.forEach((p, i) => {
      const y = canvas.height - 2 - value(p) / scale * (canvas.height - 4);
      if (i === 0) g.moveTo(x(i), y); else g.lineTo(x(i), y);
    });
    g.stroke();
  };
  line(p => p.rate, top, "#3a7bd5");
  line(p => p.errors, 1, "#cc3333");
}
function render(s) {
  setText("clients", s.clients);
  setText("parked", s.parked);
  setText("stopping", s.stopping ? "stopping" : "");
  setText("queue-depth", s.queue.depth);
  setText("queue-capacity", s.queue.capacity);
  const fill = s.queue.capacity > 0 ? Math.min(100, 100 * s.queue.depth / s.queue.capacity) : 0;
  $("queue-fill").style.width = fill + "%";
  setText("busy", s.workers_busy);
  renderWorkers(s.workers);
  setText("processed", s.processed);
  setText("ok", s.ok);
  setText("failed", s.failed);
  const now = s.now_ms;  // the server's clock: rates stay right in a throttled tab
  history.push({t: now, processed: s.processed, failed: s.failed});
  while (history.length > 2 && now - history[0].t > keepMs) history.shift();
  const points = rates();
  const last = points.length ? points[points.length - 1] : null;
  setText("rate", last ? last.rate.toFixed(1) : "-");
  setText("error-rate", last ? (100 * last.errors).toFixed(1) + "%" : "-");
  drawSparkline(points);
}
async function poll() {
  timer = null;
  try {
    const reply = await fetch("status", {cache: "no-store"});
    if (!reply.ok) throw new Error("HTTP " + reply.status);
    render(await reply.json());
    setText("conn", "");
  } catch (e) {
    setText("conn", "(no answer: " + e.message + ")");
  }
  schedule();
}
function schedule() {
  // Nobody watching a hidden tab: no request, so the server does no work for it.
  if (!document.hidden && timer === null) timer = setTimeout(poll, 1000);
}
document.addEventListener("visibilitychange", () => { if (!document.hidden) schedule(); });
// The server keeps the last minutes: a page opened now draws them at once.
async function seed() {
  try {
    const reply = await fetch("history", {cache: "no-store"});
    if (reply.ok) {
      for (const [t, processed, failed] of await reply.json()) history.push({t, processed, failed});
    }
  } catch (e) { /* drawn from this page's own polls only */ }
  poll();
}
seed();
</script>
</body>
</html>
)html";

}  // namespace

std::string_view status_page_html() {
  return page;
}

}  // namespace wordcrawl
