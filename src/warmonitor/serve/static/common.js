/* warmonitor dashboard, shared code: fetch helpers, safe DOM builders, formatting, the nav's login
 * state, the pager and the fact field/change renderers. Every page loads this first (base.html); the
 * page's own script (dashboard.js, article.js, fact.js, reviews.js, login.js) then fills its shell from
 * the JSON API (docs/api.md). Plain scripts, no build step: this one publishes `window.WM`.
 *
 * Safety rule for every warmonitor script: data (article text, fact values, names, reasons) only ever
 * enters the page through textContent, createTextNode and setAttribute on safe attributes (see `h` in
 * common.js), never through innerHTML or HTML built from strings. A URL from the data becomes a link only
 * when it starts with http:// or https://; links made here point to this site's own paths.
 */
"use strict";

(function () {
  const ROOT = document.body.dataset.root || "";
  const PAGE = document.body.dataset.page || "";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const TYPE_NAME = /^[a-z][a-z0-9_]*$/;
  const COLOUR = /^#[0-9a-fA-F]{3,8}$/;
  const NUMBER = new Intl.NumberFormat("en");

  /* ---------- DOM helpers ---------- */

  const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href"]);

  // A link target we are willing to put in an href: this site's own path, a fragment, or http(s).
  function safeHref(url) {
    if (typeof url !== "string") return null;
    const u = url.trim();
    if (/^https?:\/\//i.test(u)) return u;
    if (u.startsWith("#")) return u;
    if (u.startsWith("/") && !u.startsWith("//") && !u.includes("\\") && !/[\u0000-\u001f]/.test(u)) return u;
    return null;
  }

  function setAttrs(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") { node.textContent = String(value); continue; }
      if (/^on/i.test(name) || name === "style" || name === "srcdoc") throw new Error("refused attribute " + name);
      let v = value === true ? "" : String(value);
      if (URL_ATTRS.has(name)) {
        v = safeHref(v);
        if (v === null) continue;
      }
      node.setAttribute(name, v);
    }
  }

  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else if (child instanceof Node) node.appendChild(child);
      else node.appendChild(document.createTextNode(String(child)));
    }
    return node;
  }

  // h("a", {href: "/facts/1", class: "x"}, "text", childNode, ...): an element built without HTML parsing.
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    return append(node, children);
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    return append(node, children);
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }

  function showAlert(node, message, loginHint) {
    if (!node) return;
    clear(node);
    if (!message) { node.hidden = true; return; }
    append(node, [message]);
    if (loginHint) append(node, [" ", h("a", {href: loginUrl()}, "Log in")]);
    node.hidden = false;
  }

  function pagePath(path, params) {
    const qs = params ? params.toString() : "";
    return ROOT + path + (qs ? "?" + qs : "");
  }

  function factUrl(id) { return ROOT + "/facts/" + encodeURIComponent(id); }
  function articleUrl(articleId, factId) {
    return ROOT + "/articles/" + encodeURIComponent(articleId) + (factId !== undefined ? "#fact-" + encodeURIComponent(factId) : "");
  }
  function loginUrl() {
    const here = location.pathname + location.search + location.hash;
    return ROOT + "/login?next=" + encodeURIComponent(here);
  }

  /* ---------- API ---------- */

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
    get needsLogin() { return this.status === 401; }
  }

  function detailOf(data) {
    if (!data || data.detail === undefined) return "";
    const d = data.detail;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) {
      return d.map(item => {
        if (item && typeof item === "object") {
          const loc = Array.isArray(item.loc) ? item.loc.filter(x => x !== "body" && x !== "query").join(".") : "";
          return (loc ? loc + ": " : "") + (item.msg || JSON.stringify(item));
        }
        return String(item);
      }).join("; ");
    }
    return JSON.stringify(d);
  }

  let mePromise = null;
  function getMe(refresh) {
    if (!mePromise || refresh) {
      mePromise = api("/api/me").catch(() => ({user: null, role: null, csrf_token: null, public_read: true}));
    }
    return mePromise;
  }

  async function api(path, options) {
    const opts = options || {};
    const method = opts.method || "GET";
    const headers = {"Accept": "application/json"};
    const init = {method, headers, credentials: "same-origin", signal: opts.signal};
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(opts.body);
    }
    if (method !== "GET") {
      const me = await getMe();
      if (me && me.csrf_token) headers["X-CSRF-Token"] = me.csrf_token;
    }
    const qs = opts.params ? opts.params.toString() : "";
    let resp;
    try {
      resp = await fetch(ROOT + path + (qs ? "?" + qs : ""), init);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ApiError(0, "Cannot reach the server; check the connection and reload.");
    }
    const text = await resp.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!resp.ok) {
      let message = detailOf(data) || (resp.status + " " + (resp.statusText || "error"));
      if (resp.status === 401 && !detailOf(data)) message = "Log in to see this.";
      throw new ApiError(resp.status, message);
    }
    return data;
  }

  function isAbort(err) { return err && err.name === "AbortError"; }

  /* ---------- formatting ---------- */

  function fmtNum(n) { return (typeof n === "number" && isFinite(n)) ? NUMBER.format(n) : String(n); }

  function countValue(c) {
    if (!c) return null;
    if (typeof c === "number") return c;
    if (c.best !== null && c.best !== undefined) return c.best;
    if (c.low !== null && c.low !== undefined) return c.low;
    if (c.high !== null && c.high !== undefined) return c.high;
    return null;
  }

  function fmtCount(c) {
    if (c === null || c === undefined) return "";
    if (typeof c === "number") return fmtNum(c);
    const {low, best, high, qualifier} = c;
    const has = v => v !== null && v !== undefined;
    let range = "";
    if (has(low) && has(high) && low !== high) range = fmtNum(low) + "–" + fmtNum(high);
    else if (has(low) && !has(high) && !has(best)) range = "≥ " + fmtNum(low);
    else if (has(high) && !has(low) && !has(best)) range = "≤ " + fmtNum(high);
    if (has(best)) {
      const main = fmtNum(best);
      const withQ = qualifier ? qualifier + " " + main : main;
      return range ? withQ + " (" + range + ")" : withQ;
    }
    if (qualifier) return range ? qualifier + " (" + range + ")" : qualifier;
    return range || (has(low) ? fmtNum(low) : "");
  }

  function fmtPeriod(p) {
    if (!p) return "";
    if (typeof p === "string") return p;
    if (p.start && p.end && p.start !== p.end) return p.start + " – " + p.end;
    return p.start || p.end || "";
  }

  function fmtDate(f) { return f.date || fmtPeriod(f.period) || ""; }

  function fmtPlace(p) {
    if (!p) return "";
    if (typeof p === "string") return p;
    return p.name || p.toponym || p.text || "";
  }

  function placeDetail(p) {
    if (!p || typeof p !== "object") return "";
    return [p.admin1, p.country].filter(Boolean).join(", ");
  }

  function fmtList(v) { return Array.isArray(v) ? v.filter(x => x !== null && x !== "").join(", ") : (v || ""); }

  function truncate(s, n) {
    const chars = Array.from(String(s));
    return chars.length > n ? chars.slice(0, n - 1).join("") + "…" : String(s);
  }

  // What the fact says besides its count: "killed · civilians", "fled · people", "market, school", ...
  function describe(f) {
    const r = f.record || {};
    switch (f.type) {
      case "casualty": return [f.outcome, f.victims].filter(Boolean).join(" · ");
      case "displacement": return [r.term, r.unit || f.victims].filter(Boolean).join(" · ");
      case "attack": return fmtList(r.targets) || "attack";
      case "control": return [r.change, r.actor].filter(Boolean).join(" · ");
      case "population": return "population" + (r.unit ? " · " + r.unit : "");
      case "quote": return r.text ? "“" + truncate(r.text, 70) + "”" : "quote";
      default: return [f.outcome, f.victims].filter(Boolean).join(" · ");
    }
  }

  function fmtValue(v) {
    if (v === null || v === undefined || v === "") return "";
    if (Array.isArray(v)) return v.map(fmtValue).filter(Boolean).join(", ");
    if (typeof v === "object") {
      if ("best" in v || "low" in v || "high" in v) return fmtCount(v);
      if ("name" in v || "toponym" in v) {
        const d = placeDetail(v);
        return fmtPlace(v) + (d ? " (" + d + ")" : "");
      }
      if ("start" in v && "end" in v) return fmtPeriod(v);
      return Object.entries(v).filter(([, x]) => x !== null && x !== undefined && x !== "")
        .map(([k, x]) => k + ": " + fmtValue(x)).join("; ");
    }
    if (typeof v === "number") return fmtNum(v);
    return String(v);
  }

  function fmtConfidence(c) { return typeof c === "number" ? c.toFixed(2) : ""; }

  function fmtWhen(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    if (isNaN(d.getTime())) return iso;
    const pad = n => String(n).padStart(2, "0");
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function typeBadge(type) {
    return h("span", {class: "type-badge type-" + typeClass(type), "data-type": type}, typeLabels.get(type) || type || "?");
  }

  /* ---------- fact types (labels and colours from the server) ---------- */

  // The fact types, in display order, as the server declares them (GET /api/fact-types, from the
  // package's warmonitor.facttypes), so that no script or stylesheet keeps a list of its own. Fetched
  // once a page; should it fail, every type is drawn in the "other" grey and the page works on.
  let typesPromise = null;
  const typeLabels = new Map();
  function factTypes() {
    if (!typesPromise) {
      typesPromise = api("/api/fact-types")
        .then(data => (data && Array.isArray(data.fact_types) ? data.fact_types : []))
        .catch(() => [])
        .then(types => {
          const valid = types.filter(t => t && TYPE_NAME.test(t.name) && [t.colour, t.tint, t.map_colour].every(c => COLOUR.test(c)));
          for (const t of valid) typeLabels.set(t.name, typeof t.label === "string" && t.label ? t.label : t.name);
          addTypeStyles(valid);
          return valid;
        });
    }
    return typesPromise;
  }

  // The part of a class name that names a type ("type-" + it): the type itself when it is a plain
  // word, else "other", so data never shapes class names.
  function typeClass(type) { return typeof type === "string" && TYPE_NAME.test(type) ? type : "other"; }

  // Each type's colour rules, added to style.css's own sheet (the CSP allows stylesheet changes made
  // through the CSSOM, not inline styles): toggles, chart bars and labels, badges, highlights.
  function addTypeStyles(types) {
    const link = document.querySelector("link[rel=stylesheet][href$='/static/style.css']");
    const sheet = link && link.sheet;
    if (!sheet) return;
    for (const {name, colour, tint} of types) {
      for (const rule of [
        ".type-toggle.type-" + name + " input:checked + span { background: " + colour + "; }",
        ".bar-" + name + " { fill: " + colour + "; }",
        ".type-text-" + name + " { color: " + colour + "; }",
        ".type-badge.type-" + name + " { background: " + colour + "; }",
        "mark.fact-" + name + " { background: " + tint + "; border-bottom-color: " + colour + "; }",
      ]) {
        try { sheet.insertRule(rule, sheet.cssRules.length); } catch (err) { console.error("style", err); }
      }
    }
  }

  function stateBadge(state) {
    const s = ["unreviewed", "confirmed", "corrected", "rejected"].includes(state) ? state : "unreviewed";
    return h("span", {class: "state state-" + s, "data-state": state}, state || "unreviewed");
  }

  /* ---------- session (nav) ---------- */

  async function initSession() {
    const me = await getMe();
    const user = $("#nav-user");
    const loginLink = $("#login-link");
    const logout = $("#logout-button");
    if (me && me.user) {
      clear(user);
      append(user, [h("span", {class: "user-name", "data-testid": "user-name"}, me.user),
        me.role ? h("span", {class: "user-role"}, me.role) : null]);
      user.hidden = false;
      loginLink.hidden = true;
      logout.hidden = false;
    } else {
      user.hidden = true;
      logout.hidden = true;
      loginLink.hidden = PAGE === "login";
      loginLink.setAttribute("href", PAGE === "login" ? ROOT + "/login" + location.search : loginUrl());
    }
    logout.addEventListener("click", async () => {
      logout.disabled = true;
      try {
        await api("/api/logout", {method: "POST", body: {}});
        location.reload();
      } catch (err) {
        showAlert($("#session-error"), "Could not log out: " + err.message);
        logout.disabled = false;
      }
    });
    return me;
  }

  /* ---------- pager (dashboard and reviews) ---------- */

  function renderPager(total, page, perPage, onGo) {
    const pager = $("#pager");
    if (!pager) return;
    const pages = Math.max(1, Math.ceil(total / perPage));
    const status = $("#pager-status");
    status.textContent = total ? "Page " + fmtNum(page) + " of " + fmtNum(pages) : "No results";
    const prev = $("[data-page=prev]", pager);
    const next = $("[data-page=next]", pager);
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    pager.dataset.page = String(page);
    pager.dataset.pages = String(pages);
    prev.onclick = () => onGo(page - 1);
    next.onclick = () => onGo(page + 1);
  }


  /* ---------- fact fields (article and fact pages) ---------- */

  function fieldRows(f) {
    // [label, value(node|string)] rows for a fact: the common fields, then the rest of its record.
    const r = f.record || {};
    const rows = [];
    const add = (label, value, key) => { if (value !== null && value !== undefined && value !== "") rows.push([label, value, key]); };
    add("Type", typeBadge(f.type), "type");
    const count = fmtCount(f.count);
    add("Count", count ? h("a", {href: articleUrl(f.article_id, f.id), class: "count-link", title: "Show the evidence in the article"}, count) : "", "count");
    add("Outcome", f.outcome, "outcome");
    add("Victims", f.victims, "victims");
    const said = r.period_text ? " (“" + r.period_text + "”)" : "";
    if (f.date) add("Date", f.date + said, "date");
    if (f.period) add("Period", fmtPeriod(f.period) + (f.date ? "" : said), "period");
    if (!f.date && !f.period && r.period_text) add("Time", r.period_text, "period_text");
    if (f.place) {
      const p = f.place;
      const bits = [placeDetail(p)];
      if (p.geonameid) bits.push("GeoNames " + p.geonameid);
      if (typeof p.lat === "number" && typeof p.lon === "number") bits.push(p.lat.toFixed(3) + ", " + p.lon.toFixed(3));
      if (p.precision) bits.push("precision " + p.precision);
      add("Place", [fmtPlace(p), bits.filter(Boolean).length ? h("small", {class: "muted"}, " " + bits.filter(Boolean).join(" · ")) : null], "place");
    }
    add("Actors", fmtList(f.actors), "actors");
    add("Claimed by", fmtList(f.claimants), "claimants");
    add("Confidence", fmtConfidence(f.confidence), "confidence");
    add("Rule", f.rule ? h("code", null, f.rule) : "", "rule");
    add("Review", stateBadge(f.review_state), "review_state");
    const shown = new Set(["article", "type", "evidence", "claimed_by", "confidence", "rule", "count", "outcome", "victims",
      "date", "period", "period_text", "place", "perpetrators", "actor", "speaker", "review"]);
    for (const [key, value] of Object.entries(r)) {
      if (shown.has(key)) continue;
      const text = typeof value === "boolean" ? (value ? "yes" : "no") : fmtValue(value);
      add(key.replace(/_/g, " ").replace(/^./, c => c.toUpperCase()), text, "record-" + key);
    }
    if (r.perpetrators && r.perpetrators.length) add("Perpetrators", fmtList(r.perpetrators), "perpetrators");
    if (r.actor) add("Actor", r.actor, "actor");
    if (r.speaker) add("Speaker", r.speaker, "speaker");
    return rows;
  }

  function renderFields(dl, f) {
    clear(dl);
    for (const [label, value, key] of fieldRows(f)) {
      dl.appendChild(h("div", {class: "field-row", "data-field": key}, h("dt", null, label), h("dd", null, value)));
    }
  }

  /* ---------- review changes (fact and reviews pages) ---------- */

  function renderChanges(changes, original) {
    const keys = Object.keys(changes || {});
    if (!keys.length) return "—";
    const ul = h("ul", {class: "changes"});
    for (const key of keys) {
      const old = original && key in original ? fmtValue(original[key]) : "";
      const now = fmtValue(changes[key]);
      if (!old && !now) continue;  // e.g. "period: none -> none" when a date replaces no period
      ul.appendChild(h("li", {"data-field": key},
        h("span", {class: "change-key"}, key), ": ",
        old ? h("span", {class: "old"}, old) : h("span", {class: "none"}, "(none)"), " → ",
        now ? h("span", {class: "new"}, now) : h("span", {class: "none"}, "(none)")));
    }
    return ul.firstChild ? ul : "—";
  }

  function actionBadge(action) {
    return h("span", {class: "action action-" + (["confirm", "reject", "correct"].includes(action) ? action : "other")}, action || "");
  }

  /* ---------- start ---------- */

  // Run `fn` once the document is parsed (at once for deferred scripts, which run after parsing).
  function onReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn);
    else fn();
  }

  // The nav's login state: filled in once, while the page loads its data; resolves to /api/me's answer.
  let sessionPromise = null;
  function session() {
    if (!sessionPromise) sessionPromise = initSession();
    return sessionPromise;
  }

  window.WM = Object.freeze({
    ROOT, PAGE, factTypes, typeClass, safeHref, setAttrs, append, h, svg, clear, $, $all, showAlert, pagePath, factUrl,
    articleUrl, loginUrl, ApiError, getMe, api, isAbort, fmtNum, countValue, fmtCount, fmtPeriod, fmtDate,
    fmtPlace, placeDetail, fmtList, truncate, describe, fmtValue, fmtConfidence, fmtWhen, typeBadge,
    stateBadge, session, renderPager, fieldRows, renderFields, renderChanges, actionBadge, onReady,
  });

  // Exposed for browser tests and debugging; no page logic depends on it (page scripts add to it).
  window.warmonitor = Object.assign(window.warmonitor || {}, {safeHref, fmtCount});

  factTypes();
  onReady(session);
})();
