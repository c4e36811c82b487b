/* warmonitor incidents page: the incidents (one record per event across its reports) that pass the
 * filters, newest first, each a link to its page; the exports follow the filters.
 * Needs common.js (window.WM) loaded before it.
 *
 * Safety rule for every warmonitor script: data (article text, fact values, names, reasons) only ever
 * enters the page through textContent, createTextNode and setAttribute on safe attributes (see `h` in
 * common.js), never through innerHTML or HTML built from strings. Links made here point to this site's
 * own paths.
 */
"use strict";

(function () {
  const {ROOT, h, clear, $, $all, showAlert, pagePath, api, isAbort, fmtNum, fmtPlace, typeBadge, renderPager, factTypes} = window.WM;

  const FILTER_KEYS = ["type", "since", "until", "place", "admin1", "country", "status"];
  const PER_PAGE = 50;

  function incidentUrl(id) { return ROOT + "/incidents/" + encodeURIComponent(id); }

  function fmtFigure(c) {
    if (!c || typeof c.best !== "number") return "";
    const range = typeof c.low === "number" && typeof c.high === "number" && (c.low !== c.best || c.high !== c.best)
      ? " (" + fmtNum(c.low) + "–" + fmtNum(c.high) + ")" : "";
    return fmtNum(c.best) + range;
  }

  function fmtWhenOf(r) {
    if (r.date) return r.date;
    const p = r.period || {};
    return p.start || p.end ? (p.start || "…") + " – " + (p.end || "…") : "";
  }

  function statusBadge(status) {
    return h("span", {class: "badge incident-status status-" + String(status || "").replace(/[^a-z-]/g, ""),
      "data-testid": "incident-status-badge"}, status || "");
  }

  function initIncidents() {
    const form = $("#incident-filters");
    const tbody = $("#incidents-table tbody");
    const summary = $("#result-summary");
    let controller = null;

    function current() { return new URLSearchParams(location.search); }
    function filtersOf(p) {
      const out = new URLSearchParams();
      for (const k of FILTER_KEYS) { const v = (p.get(k) || "").trim(); if (v) out.set(k, v); }
      return out;
    }
    function fill(p) { for (const k of FILTER_KEYS) form.elements[k].value = p.get(k) || ""; }
    function go(p, push) {
      const clean = filtersOf(p);
      if (p.get("page") && p.get("page") !== "1") clean.set("page", p.get("page"));
      history[push ? "pushState" : "replaceState"](null, "", pagePath("/incidents", clean));
      load();
    }
    form.addEventListener("submit", ev => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const k of FILTER_KEYS) p.set(k, form.elements[k].value);
      go(p, true);
    });
    form.addEventListener("change", ev => { if (ev.target.tagName === "SELECT" || ev.target.type === "date") form.requestSubmit(); });
    $("#clear-filters").addEventListener("click", () => { fill(new URLSearchParams()); go(new URLSearchParams(), true); });
    window.addEventListener("popstate", load);

    async function load() {
      const p = current();
      fill(p);
      const filters = filtersOf(p);
      for (const a of $all("a.incident-export")) {
        const q = new URLSearchParams(filters);
        q.set("format", a.dataset.format);
        a.setAttribute("href", ROOT + "/api/incidents/export?" + q.toString());
      }
      const page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
      const params = new URLSearchParams(filters);
      params.set("page", String(page));
      params.set("per_page", String(PER_PAGE));
      if (controller) controller.abort();
      controller = new AbortController();
      const table = $("#incidents-table");
      table.setAttribute("aria-busy", "true");
      try {
        const data = await api("/api/incidents", {params, signal: controller.signal});
        showAlert($("#incidents-error"), "");
        const rows = data.incidents || [];
        const total = data.total || 0;
        summary.textContent = fmtNum(total) + (total === 1 ? " incident" : " incidents") + ", newest first";
        summary.dataset.total = String(total);
        clear(tbody);
        if (!rows.length) tbody.appendChild(h("tr", {class: "empty"}, h("td", {colspan: "9"},
          "No incidents match these filters. Incidents are made by linking: run `warmonitor link` after an ingest that did not link.")));
        for (const r of rows) {
          const tr = h("tr", {"data-incident-id": r.id, "data-testid": "incident-row", class: "type-" + (r.kind || "other")},
            h("td", {class: "nowrap"}, h("a", {href: incidentUrl(r.id), "data-testid": "incident-link"}, r.id)),
            h("td", {class: "nowrap"}, fmtWhenOf(r)),
            h("td", null, typeBadge(r.kind)),
            h("td", null, fmtPlace(r.place), r.place && r.place.admin1 ? h("small", {class: "muted"}, " " + [r.place.admin1, r.place.country].filter(Boolean).join(", ")) : null),
            h("td", {class: "num nowrap"}, fmtFigure(r.killed)),
            h("td", {class: "num nowrap"}, fmtFigure(r.injured)),
            h("td", {class: "num nowrap", title: "articles (independent sources)"}, fmtNum(r.sources || 0) + " (" + fmtNum(r.independent_sources || 0) + ")"),
            h("td", null, (r.outlets || []).join(", ")),
            h("td", null, statusBadge(r.status)));
          tr.addEventListener("click", ev => {
            if (ev.target.closest("a, button") || String(window.getSelection() || "")) return;
            location.assign(incidentUrl(r.id));
          });
          tbody.appendChild(tr);
        }
        renderPager(total, page, PER_PAGE, n => { const q = current(); q.set("page", String(n)); go(q, true); });
      } catch (err) {
        if (isAbort(err)) return;
        clear(tbody);
        summary.textContent = "";
        showAlert($("#incidents-error"), err.message, err.needsLogin);
      } finally {
        table.setAttribute("aria-busy", "false");
      }
    }
    factTypes().then(load);  // kind labels and colours first
  }

  window.WM.onReady(() => { if (window.WM.PAGE === "incidents") initIncidents(); });
})();
