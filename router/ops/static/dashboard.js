// Tianji dashboard: reads /v1/stats, /v1/requests and /v1/deployments with the API key and
// draws everything itself (inline SVG; no libraries, nothing fetched from elsewhere).
// The key comes from the login form or the URL fragment (#key=...), which browsers never
// send to a server; it is kept in sessionStorage (this tab only) and removed from the URL.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const TIER_COLOURS = ["#7fb069", "#e6aa68", "#ca3c25", "#5b8e7d", "#8e7dbe"];
const REFRESH_MS = 10000;
const MAX_BAR = 48;
const $ = (id) => document.getElementById(id);
let timer = null;

function key() { return sessionStorage.getItem("tianji-key") || ""; }

function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get("key")) {
    sessionStorage.setItem("tianji-key", params.get("key"));
    history.replaceState(null, "", location.pathname + location.search);
  }
}

class Unauthorized extends Error {}

async function get(path) {
  const headers = key() ? { authorization: "Bearer " + key() } : {};
  const reply = await fetch(path, { headers, cache: "no-store" });
  if (reply.status === 401) throw new Unauthorized();
  const body = await reply.json();
  if (!reply.ok) throw new Error((body.error && body.error.message) || reply.statusText);
  return body;
}

const usd = (x) => x == null ? "-" : "$" + (Math.abs(x) >= 100 ? x.toFixed(2) : x.toFixed(4));
const pct = (x) => x == null ? "-" : (100 * x).toFixed(1) + "%";
const ms = (x) => x == null ? "-" : Math.round(x).toLocaleString("en");
const utc = (t) => new Date(t * 1000).toISOString().replace("T", " ").slice(0, 19);

function text(id, value) { $(id).textContent = value; }

function el(tag, attrs = {}, content = null) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (content != null) node.textContent = content;
  return node;
}

function tierColour(tiers, tier) { return TIER_COLOURS[tiers.indexOf(tier) % TIER_COLOURS.length]; }

function showCards(report) {
  const s = report.summary;
  text("requests-total", s.requests.toLocaleString("en"));
  text("answered", s.answered + " answered");
  text("spend", usd(s.spend_usd));
  text("baseline", usd(s.baseline_usd));
  text("saved", usd(s.savings_usd));
  text("saved-share", pct(s.savings_share) + " of the baseline");
  text("error-rate", pct(s.error_rate));
  text("errors-by-status", Object.entries(s.errors_by_status)
    .map(([status, n]) => status + ": " + n).join(" · ") || "none");
  text("fallback-rate", pct(s.fallback_rate));
  text("escalation-rate", "escalated " + pct(s.escalation_rate));
  text("latency", ms(s.latency_ms.p50) + " / " + ms(s.latency_ms.p99));
  const fb = report.feedback;
  text("feedback", fb.mean_score == null ? "-" : fb.mean_score.toFixed(2));
  text("feedback-count", fb.count + " scores (0 bad .. 1 good)");
  text("tier-mix", Object.entries(s.tier_mix).map(([t, v]) => t + " " + pct(v)).join(" · "));
  text("log-location", report.log ? "log: " + report.log : "");
}

// A frame with y ticks; returns scale functions for the plot area.
function frame(svg, points, maxY, height, format) {
  svg.replaceChildren();
  const left = 64, right = 468, top = 30, bottom = height - 24;
  const n = Math.max(points.length, 1);
  const x = (i) => left + ((i + 0.5) * (right - left)) / n;  // the middle of the i-th band
  const y = (v) => bottom - (maxY ? (v / maxY) * (bottom - top) : 0);
  for (let k = 0; k <= 4; k++) {
    const v = (maxY * k) / 4;
    svg.append(el("svg:line", { class: "axis", x1: left, x2: right, y1: y(v), y2: y(v) }));
    svg.append(el("svg:text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)));
  }
  if (points.length) {
    svg.append(el("svg:text", { x: left, y: height - 6 }, utc(points[0].t)));
    svg.append(el("svg:text", { x: right, y: height - 6, "text-anchor": "end" },
      utc(points[points.length - 1].t)));
  }
  return { x, y, left, right, top, bottom, n };
}

function drawSpend(series) {
  const svg = $("chart-spend");
  const points = series.points;
  let s = 0, b = 0;
  const cum = points.map((p) => { s += p.spend_usd; b += p.baseline_usd; return [s, b]; });
  const maxY = Math.max(1e-9, ...cum.map((c) => c[1]), ...cum.map((c) => c[0]));
  const f = frame(svg, points, maxY, 240, (v) => "$" + v.toPrecision(2));
  if (!points.length) return;
  const line = (k) => cum.map((c, i) => (i ? "L" : "M") + f.x(i) + "," + f.y(c[k])).join(" ");
  const area = line(1) + " " + cum.map((c, i) => "L" + f.x(cum.length - 1 - i) + ","
    + f.y(cum[cum.length - 1 - i][0])).join(" ") + " Z";
  svg.append(el("svg:path", { class: "saved", d: area }));
  svg.append(el("svg:path", { class: "baseline", d: line(1), "data-series": "baseline" }));
  svg.append(el("svg:path", { class: "spend", d: line(0), "data-series": "spend" }));
  cum.forEach((c, i) => {
    svg.append(el("svg:circle", { cx: f.x(i), cy: f.y(c[1]), r: 3, fill: "#9a3324" }));
    svg.append(el("svg:circle", { cx: f.x(i), cy: f.y(c[0]), r: 3, fill: "#1f6f8b" }));
  });
  const legend = el("svg:text", { x: f.left + 8, y: 22, class: "legend" });
  legend.append(el("svg:tspan", { fill: "#9a3324" }, "— baseline (all on the top tier)   "));
  legend.append(el("svg:tspan", { fill: "#1f6f8b" }, "— spent through Tianji"));
  svg.append(legend);
}

function drawTiers(series, order) {
  const svg = $("chart-tiers");
  const points = series.points;
  const tiers = order;
  const f = frame(svg, points, 1, 240, (v) => Math.round(v * 100) + "%");
  const width = Math.min(MAX_BAR, Math.max(2, ((f.right - f.left) / f.n) * 0.7));
  points.forEach((p, i) => {
    const total = Object.values(p.tiers).reduce((a, v) => a + v, 0);
    let acc = 0;
    for (const tier of tiers) {
      const share = total ? (p.tiers[tier] || 0) / total : 0;
      if (!share) continue;
      svg.append(el("svg:rect", { x: f.x(i) - width / 2, y: f.y(acc + share), width,
        height: f.y(acc) - f.y(acc + share), fill: tierColour(tiers, tier), "data-tier": tier }));
      acc += share;
    }
  });
  tiers.forEach((tier, k) => {
    svg.append(el("svg:rect", { x: f.left + 8 + k * 90, y: 14, width: 10, height: 10,
      fill: tierColour(tiers, tier) }));
    svg.append(el("svg:text", { x: f.left + 22 + k * 90, y: 23 }, tier));
  });
}

function drawErrors(series) {
  const svg = $("chart-errors");
  const points = series.points;
  const maxY = Math.max(1, ...points.map((p) => Math.max(p.errors, p.fallbacks)));
  const f = frame(svg, points, maxY, 160, (v) => v.toFixed(v < 10 ? 1 : 0));
  const width = Math.min(MAX_BAR / 2, Math.max(2, ((f.right - f.left) / f.n) * 0.35));
  points.forEach((p, i) => {
    svg.append(el("svg:rect", { x: f.x(i) - width, y: f.y(p.errors), width,
      height: f.bottom - f.y(p.errors), fill: "#b3261e" }));
    svg.append(el("svg:rect", { x: f.x(i), y: f.y(p.fallbacks), width,
      height: f.bottom - f.y(p.fallbacks), fill: "#e6aa68" }));
  });
  const legend = el("svg:text", { x: f.left + 8, y: 22, class: "legend" });
  legend.append(el("svg:tspan", { fill: "#b3261e" }, "■ errors   "));
  legend.append(el("svg:tspan", { fill: "#e6aa68" }, "■ fallbacks"));
  svg.append(legend);
}

function showDeployments(data) {
  const body = $("deployments").tBodies[0];
  body.replaceChildren(...data.data.map((d) => {
    const state = d.missing_env.length ? "missing " + d.missing_env.join(", ")
      : d.state === "cooldown" ? "cooldown " + d.cooldown_remaining_s.toFixed(0) + " s" : "ok";
    const row = el("tr", { class: d.state, "data-deployment": d.name });
    for (const value of [d.name, d.tier, d.model, state, d.successes, d.failures,
                         d.last_error || ""]) row.append(el("td", {}, String(value)));
    return row;
  }));
}

function explanation(r) {
  const cell = el("td", { colspan: 11 });
  const dl = el("dl");
  const add = (term, value) => { dl.append(el("dt", {}, term), el("dd", {}, value)); };
  const route = r.route || {};
  add("reason", route.reason || "-");
  add("candidates", (route.candidates || []).map((c) => c.tier + "/" + c.deployment).join(" → "));
  add("attempts", r.attempt_path.map((a) => a.deployment + ": " + a.outcome + " (" + a.action
    + ")").join(" → ") || "-");
  const excluded = Object.entries(route.excluded || {});
  if (excluded.length) add("excluded", excluded.map(([d, why]) => d + ": " + why).join("; "));
  const signals = Object.entries(route.signals || {});
  if (signals.length) add("signals", signals.map(([k, v]) => k + "=" + v).join("  "));
  if (r.error_code) add("error", r.error_code);
  cell.append(dl);
  const row = el("tr", { class: "explain" });
  row.append(cell);
  return row;
}

function showRecent(data) {
  const body = $("recent").tBodies[0];
  body.replaceChildren(...data.data.map((r) => {
    const row = el("tr", { class: "request", "data-request-id": r.request_id });
    const cells = [utc(r.ts), r.request_id.slice(0, 12), r.model, r.tier, r.deployment || "-",
      r.task || "-", r.difficulty == null ? "-" : r.difficulty.toFixed(2),
      r.attempts == null ? "-" : String(r.attempts), ms(r.latency_ms), usd(r.cost_usd),
      String(r.status)];
    cells.forEach((value, i) => row.append(el("td", { class: i >= 6 ? "num" : "" }, value)));
    if (r.status !== 200) row.lastChild.classList.add("status-error");
    row.addEventListener("click", () => {
      const next = row.nextSibling;
      if (next && next.classList.contains("explain")) next.remove();
      else row.after(explanation(r));
    });
    return row;
  }));
}

function showLogin(message) {
  clearTimeout(timer);
  $("main").hidden = true;
  $("sign-out").hidden = true;
  $("login").hidden = false;
  $("login-error").hidden = !message;
  text("login-error", message || "");
  $("key").focus();
}

async function refresh() {
  clearTimeout(timer);
  const since = $("window").value;
  try {
    const [report, deployments, recent] = await Promise.all([
      get("/v1/stats" + (since ? "?since=" + since : "")),
      get("/v1/deployments"), get("/v1/requests?limit=25")]);
    $("login").hidden = true;
    $("main").hidden = false;
    $("sign-out").hidden = !key();
    $("error").hidden = true;
    showCards(report);
    drawSpend(report.series);
    drawTiers(report.series, Object.keys(report.summary.tier_mix));
    drawErrors(report.series);
    showDeployments(deployments);
    showRecent(recent);
    text("updated", "updated " + new Date().toISOString().slice(11, 19) + " UTC");
    document.body.dataset.loaded = "true";
  } catch (err) {
    if (err instanceof Unauthorized) {
      showLogin(key() ? "That key was not accepted." : "");
      return;
    }
    $("error").hidden = false;
    text("error", "Could not load the dashboard: " + err.message);
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  takeKeyFromFragment();
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("tianji-key", $("key").value);
    $("key").value = "";
    refresh();
  });
  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem("tianji-key");
    showLogin("");
  });
  $("window").addEventListener("change", refresh);
  refresh();
});
