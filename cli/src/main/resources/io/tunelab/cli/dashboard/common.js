"use strict";
// Builds elements from data: text always goes in as text nodes, never as markup.
function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) e.setAttribute(k, String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}
const SVG = "http://www.w3.org/2000/svg";
function sv(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined) continue;
    e.append(kid instanceof Node ? kid : String(kid));
  }
  return e;
}
function fmt(x, digits) {
  if (x === null || x === undefined) return "NaN";
  if (typeof x !== "number") return String(x);
  return x.toFixed(digits === undefined ? 4 : digits);
}
function pct(x) {
  return typeof x === "number" ? (100 * x).toFixed(2) + " %" : "-";
}
function badge(status, prefix) {
  return el("span", {class: "badge " + (prefix || "status-") + String(status)}, status);
}
function runHref(runId) {
  return "/runs/" + encodeURIComponent(runId);
}
function setUpdated(node, live) {
  node.replaceChildren("updated " + new Date().toLocaleTimeString() + (live ? " · live" : ""));
}
function safeHref(url) {
  return /^https?:\/\//i.test(String(url)) ? String(url) : null;
}

/**
 * Fetches a report from url and renders it, again every liveMillis while it is RUNNING (every 3 s
 * after an error, which is shown in #error); #updated says when it last changed.
 */
async function pollReport(url, render, liveMillis) {
  let again = liveMillis;
  try {
    const response = await fetch(url, {cache: "no-store"});
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    render(body);
    document.getElementById("error").replaceChildren();
    const live = body.status === "RUNNING";
    setUpdated(document.getElementById("updated"), live);
    if (!live) again = 0;
  } catch (e) {
    document.getElementById("error").replaceChildren("cannot refresh: " + e.message);
    again = 3000;
  }
  if (again > 0) setTimeout(() => pollReport(url, render, liveMillis), again);
}

/**
 * Shows findings in #findings, most severe first, each with its scope (an arm, a sweep's configs),
 * title, evidence and recommendation; the words none when there are none.
 */
function showFindings(findings, none, scope) {
  const order = {critical: 0, warning: 1, info: 2};
  const list = [...(findings || [])].sort((a, b) => (order[a.severity] ?? 3) - (order[b.severity] ?? 3));
  const box = document.getElementById("findings");
  if (list.length === 0) {
    box.replaceChildren(el("p", {class: "muted card"}, none));
    return;
  }
  box.replaceChildren(...list.map(f => el("div", {class: "card finding " + f.severity, "data-code": f.code},
    el("h3", {}, badge(f.severity, "sev-"), " ", el("code", {}, f.code), " ", el("span", {class: "muted"}, scope(f)), " — ", f.title),
    el("p", {class: "wrap"}, el("strong", {}, "Evidence: "), f.evidence),
    el("p", {class: "wrap"}, el("strong", {}, "Recommendation: "), f.recommendation))));
}

/** A chart's epoch ticks, its x label and both axis lines; g holds its size W×H and margins. */
function epochAxes(svg, g, X, x0, x1) {
  const step = Math.max(1, Math.ceil((x1 - x0) / 12));
  for (let e = x0; e <= x1; e += step) {
    svg.append(sv("text", {x: X(e), y: g.H - g.B + 16, "text-anchor": "middle"}, e));
  }
  svg.append(sv("text", {x: (g.L + g.W - g.R) / 2, y: g.H - 4, "text-anchor": "middle"}, "epoch"));
  svg.append(sv("line", {class: "axis", x1: g.L, x2: g.L, y1: g.T, y2: g.H - g.B}));
  svg.append(sv("line", {class: "axis", x1: g.L, x2: g.W - g.R, y1: g.H - g.B, y2: g.H - g.B}));
}
