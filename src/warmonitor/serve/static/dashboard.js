/* warmonitor dashboard page: filters (kept in the URL), the map (map.js), the timeline, the fact table
 * and its pager. The map and the timeline count incidents (each event once, however many articles report
 * it) once linking has made some, mentions (every report) otherwise or when the count switch says so
 * (`count` in the URL); the server says which it counted.
 * Needs common.js (window.WM) loaded before it.
 *
 * Safety rule for every warmonitor script: data (article text, fact values, names, reasons) only ever
 * enters the page through textContent, createTextNode and setAttribute on safe attributes (see `h` in
 * common.js), never through innerHTML or HTML built from strings. A URL from the data becomes a link only
 * when it starts with http:// or https://; links made here point to this site's own paths.
 */
"use strict";

(function () {
  const {
    ROOT, h, svg, clear, $, $all, showAlert, pagePath, factUrl, articleUrl, api, isAbort, fmtNum, fmtCount,
    fmtDate, fmtPlace, placeDetail, fmtList, truncate, describe, fmtConfidence, typeBadge, stateBadge,
    renderPager, factTypes,
  } = window.WM;

  const FILTER_KEYS = ["type", "since", "until", "place", "admin1", "country", "actor", "victims",
    "claimant", "min_confidence", "review", "q", "article"];
  const SORT_KEYS = ["date", "count", "confidence", "id"];
  const COUNTS = ["incidents", "mentions"];

  function initDashboard() {
    const form = $("#filters");
    const tbody = $("#facts-table tbody");
    const summary = $("#result-summary");
    const errorBox = $("#dashboard-error");
    const mapEl = $("#map");
    const timelineEl = $("#timeline");
    const intervalSel = $("#timeline-interval");
    const perPageSel = $("#per-page");
    const countSel = $("#count-mode");
    const incidentSummary = $("#incident-summary");
    const placeNames = new Map(); // geonameid -> name, from the last places answer
    const last = {table: null, map: null, timeline: null};
    const controllers = {};
    let map = null;
    let mapFitted = false;
    let timelineData = null;

    function current() { return new URLSearchParams(location.search); }

    function filtersOf(params) {
      const out = new URLSearchParams();
      for (const key of FILTER_KEYS) {
        for (const v of params.getAll(key)) if (v.trim() !== "") out.append(key, v.trim());
      }
      return out;
    }

    function formToParams() {
      const p = new URLSearchParams();
      for (const key of FILTER_KEYS) {
        for (const input of $all("[name='" + key + "']", form)) {
          if (input.type === "checkbox") { if (input.checked) p.append(key, input.value); }
          else if (input.value.trim() !== "") p.append(key, input.value.trim());
        }
      }
      return p;
    }

    function fillForm(params) {
      for (const key of FILTER_KEYS) {
        const values = params.getAll(key);
        for (const input of $all("[name='" + key + "']", form)) {
          if (input.type === "checkbox") input.checked = values.includes(input.value);
          else if (input.tagName === "SELECT") {
            input.value = values[0] || "";
            if (input.value !== (values[0] || "")) {  // a value the list lacks: add it so the form shows it
              input.appendChild(h("option", {value: values[0]}, values[0]));
              input.value = values[0];
            }
          } else input.value = values[0] || "";
        }
      }
      intervalSel.value = ["day", "week", "month"].includes(params.get("interval")) ? params.get("interval") : "week";
      const pp = params.get("per_page");
      if (pp && !$all("option", perPageSel).some(o => o.value === pp)) perPageSel.appendChild(h("option", {value: pp}, pp));
      perPageSel.value = pp || "50";
      if (COUNTS.includes(params.get("count"))) countSel.value = params.get("count");
      updatePlaceHint();
    }

    function viewParams(params) {
      // The URL: the filters, then the view settings that differ from the defaults.
      const out = filtersOf(params);
      const sort = params.get("sort");
      if (sort && sort !== "-date") out.set("sort", sort);
      const page = parseInt(params.get("page") || "1", 10);
      if (page > 1) out.set("page", String(page));
      const pp = params.get("per_page");
      if (pp && pp !== "50") out.set("per_page", pp);
      const interval = params.get("interval");
      if (interval && interval !== "week") out.set("interval", interval);
      if (COUNTS.includes(params.get("count"))) out.set("count", params.get("count"));
      return out;
    }

    function navigate(params, push) {
      const url = pagePath("/", viewParams(params));
      if (url === location.pathname + location.search) return;
      history[push ? "pushState" : "replaceState"](null, "", url + location.hash);
      load();
    }

    // Filters changed: keep view settings but go back to page 1.
    function applyFilters(push) {
      const p = formToParams();
      const cur = current();
      for (const key of ["sort", "per_page", "interval", "count"]) if (cur.get(key)) p.set(key, cur.get(key));
      navigate(p, push);
    }

    function setParam(key, value, push) {
      const p = current();
      if (value === null || value === undefined || value === "") p.delete(key); else p.set(key, value);
      if (key !== "page") p.delete("page");
      navigate(p, push);
    }

    let typingTimer = null;
    form.addEventListener("input", ev => {
      const t = ev.target;
      if (t.type === "checkbox" || t.tagName === "SELECT" || t.type === "date") return;  // handled on change
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => applyFilters(false), 450);
    });
    form.addEventListener("change", ev => {
      const t = ev.target;
      clearTimeout(typingTimer);
      const discrete = t.type === "checkbox" || t.tagName === "SELECT" || t.type === "date";
      applyFilters(discrete);
    });
    form.addEventListener("submit", ev => {
      ev.preventDefault();
      clearTimeout(typingTimer);
      applyFilters(true);
    });
    $("#clear-filters").addEventListener("click", () => {
      const cur = current();
      const p = new URLSearchParams();
      for (const key of ["sort", "per_page", "interval", "count"]) if (cur.get(key)) p.set(key, cur.get(key));
      fillForm(p);
      navigate(p, true);
    });
    intervalSel.addEventListener("change", () => setParam("interval", intervalSel.value === "week" ? "" : intervalSel.value, true));
    countSel.addEventListener("change", () => setParam("count", countSel.value, true));
    perPageSel.addEventListener("change", () => setParam("per_page", perPageSel.value === "50" ? "" : perPageSel.value, true));
    window.addEventListener("popstate", () => { fillForm(current()); load(); });

    // Links to the dashboard itself (timeline bars, place names) apply without a page load.
    document.addEventListener("click", ev => {
      const a = ev.target.closest ? ev.target.closest("a[data-dashboard-link]") : null;
      if (!a || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      const url = new URL(a.getAttribute("href"), location.href);  // (an SVG <a>'s .href is not a string)
      if (url.origin !== location.origin) return;
      ev.preventDefault();
      const p = url.searchParams;
      fillForm(p);
      navigate(p, true);
    });

    // Sortable headers.
    for (const th of $all("#facts-table th[data-sort]")) {
      const key = th.dataset.sort;
      const label = th.textContent;
      clear(th);
      const btn = h("button", {type: "button", class: "sort-button", "data-testid": "sort-" + key}, label, h("span", {class: "sort-mark", "aria-hidden": "true"}));
      btn.addEventListener("click", () => {
        const sort = current().get("sort") || "-date";
        const next = sort === "-" + key ? key : "-" + key;  // first click: descending
        setParam("sort", next === "-date" ? "" : next, true);
      });
      th.appendChild(btn);
    }

    function updateSortMarks(sort) {
      for (const th of $all("#facts-table th[data-sort]")) {
        const key = th.dataset.sort;
        const mark = $(".sort-mark", th);
        if (sort === key) { th.setAttribute("aria-sort", "ascending"); mark.textContent = " ▲"; }
        else if (sort === "-" + key) { th.setAttribute("aria-sort", "descending"); mark.textContent = " ▼"; }
        else { th.removeAttribute("aria-sort"); mark.textContent = ""; }
      }
    }

    function updatePlaceHint() {
      const hint = $("#place-hint");
      const v = (form.elements.place.value || "").trim();
      hint.textContent = /^\d+$/.test(v) && placeNames.has(v) ? placeNames.get(v) : "";
    }

    function updateExports(filters) {
      const qs = filters.toString();
      $("#export-csv").setAttribute("href", ROOT + "/api/export.csv" + (qs ? "?" + qs : ""));
      $("#export-geojson").setAttribute("href", ROOT + "/api/export.geojson" + (qs ? "?" + qs : ""));
    }

    function fresh(name) {
      if (controllers[name]) controllers[name].abort();
      controllers[name] = new AbortController();
      return controllers[name].signal;
    }

    // One alert for the table, map and timeline: the same message (say, "log in") is shown once.
    const problems = new Map();
    function showProblems() {
      const messages = Array.from(new Set(Array.from(problems.values()).map(e => e.message)));
      const login = Array.from(problems.values()).some(e => e.needsLogin);
      showAlert(errorBox, messages.join(" · "), login);
    }
    function handleError(err, where) {
      if (isAbort(err)) return;
      problems.set(where, err);
      showProblems();
    }
    function handleOk(where) {
      if (problems.delete(where)) showProblems();
    }

    function load() {
      const params = current();
      const filters = filtersOf(params);
      updateExports(filters);
      updatePlaceHint();
      const sort = SORT_KEYS.map(k => [k, "-" + k]).flat().includes(params.get("sort")) ? params.get("sort") : "-date";
      const page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
      const perPage = Math.min(500, Math.max(1, parseInt(params.get("per_page") || "50", 10) || 50));
      updateSortMarks(sort);

      const tableKey = filters.toString() + "|" + sort + "|" + page + "|" + perPage;
      if (tableKey !== last.table) { last.table = tableKey; loadTable(filters, sort, page, perPage); }

      const count = COUNTS.includes(params.get("count")) ? params.get("count") : "";
      const mapFilters = new URLSearchParams(filters);
      mapFilters.delete("place");  // the map keeps showing every place; the chosen one filters the table
      if (count) mapFilters.set("count", count);
      if (mapFilters.toString() !== last.map) { last.map = mapFilters.toString(); loadMap(mapFilters); }

      const interval = ["day", "week", "month"].includes(params.get("interval")) ? params.get("interval") : "week";
      const tlKey = filters.toString() + "|" + interval + "|" + count;
      if (tlKey !== last.timeline) { last.timeline = tlKey; loadTimeline(filters, interval, count); }
    }

    /* ----- fact table ----- */

    async function loadTable(filters, sort, page, perPage) {
      const signal = fresh("table");
      const table = $("#facts-table");
      table.setAttribute("aria-busy", "true");
      const params = new URLSearchParams(filters);
      params.set("sort", sort);
      params.set("page", String(page));
      params.set("per_page", String(perPage));
      try {
        const data = await api("/api/facts", {params, signal});
        renderTable(data.facts || []);
        const total = data.total || 0;
        const pages = Math.max(1, Math.ceil(total / perPage));
        summary.textContent = fmtNum(total) + (total === 1 ? " fact" : " facts") +
          (total ? " · showing " + fmtNum(Math.min(total, (page - 1) * perPage + 1)) + "–" + fmtNum(Math.min(total, page * perPage)) : "");
        summary.dataset.total = String(total);
        if (page > pages && total > 0) { setParam("page", String(pages), false); return; }
        renderPager(total, page, perPage, p => setParam("page", p > 1 ? String(p) : "", true));
        table.setAttribute("aria-busy", "false");
        handleOk("Facts");
      } catch (err) {
        if (isAbort(err)) return;
        last.table = null;
        table.setAttribute("aria-busy", "false");
        clear(tbody);
        summary.textContent = "";
        handleError(err, "Facts");
      }
    }

    function renderTable(facts) {
      clear(tbody);
      if (!facts.length) {
        tbody.appendChild(h("tr", {class: "empty"}, h("td", {colspan: "10"}, "No facts match these filters.")));
        return;
      }
      for (const f of facts) {
        const place = f.place;
        const countText = fmtCount(f.count);
        const row = h("tr", {"data-fact-id": f.id, "data-testid": "fact-row", class: "type-" + f.type},
          h("td", {class: "num"}, h("a", {href: factUrl(f.id), class: "fact-link", "data-testid": "fact-link"}, "#" + f.id)),
          h("td", {class: "nowrap"}, fmtDate(f) || (f.article && f.article.published
            ? h("span", {class: "muted article-day", title: "undated: the article's day"}, f.article.published) : "")),
          h("td", null, typeBadge(f.type)),
          h("td", {class: "num nowrap"}, h("a", {
            href: articleUrl(f.article_id, f.id), class: "count-link" + (countText ? "" : " no-count"),
            "data-testid": "count-link", title: "Show the evidence in the article",
          }, countText || "source")),
          h("td", {class: "what"}, describe(f)),
          h("td", null, fmtPlace(place), place && placeDetail(place) ? h("small", {class: "muted"}, " " + placeDetail(place)) : null),
          h("td", null, fmtList(f.actors)),
          h("td", null, fmtList(f.claimants)),
          h("td", {class: "num"}, fmtConfidence(f.confidence)),
          h("td", null, stateBadge(f.review_state)));
        row.title = truncate(f.evidence && f.evidence.text || "", 300);
        row.addEventListener("click", ev => {
          if (ev.target.closest("a, button") || String(window.getSelection() || "")) return;
          location.assign(factUrl(f.id));
        });
        tbody.appendChild(row);
      }
    }

    /* ----- map ----- */

    function selectPlace(feature) {
      if (!feature || !feature.properties) return;
      const pr = feature.properties;
      const value = pr.geonameid !== null && pr.geonameid !== undefined ? String(pr.geonameid) : (pr.name || "");
      if (!value) return;
      form.elements.place.value = value;
      applyFilters(true);
    }

    function ensureMap(types) {
      if (map || !window.WarMap) return map;
      try {
        const typeColours = Object.fromEntries(types.map(t => [t.name, t.map_colour]));
        map = new window.WarMap(mapEl, {basemapUrl: ROOT + "/static/basemap.json", onSelect: selectPlace, typeColours});
      } catch (err) {
        map = null;
        console.error("map", err);
      }
      return map;
    }

    async function loadMap(filters) {
      const signal = fresh("map");
      mapEl.setAttribute("aria-busy", "true");
      try {
        const [data, types] = await Promise.all([api("/api/places", {params: filters, signal}), factTypes()]);
        const features = (data && data.features) || [];
        counted(data && data.count);
        placeNames.clear();
        for (const ft of features) {
          const pr = ft.properties || {};
          if (pr.geonameid !== null && pr.geonameid !== undefined) placeNames.set(String(pr.geonameid), pr.name || "");
        }
        updatePlaceHint();
        if (ensureMap(types)) {
          map.setPoints(data);
          if (!mapFitted || features.length) { map.fitToPoints(); mapFitted = true; }
        } else {
          renderPlaceList(features);
        }
        mapEl.setAttribute("aria-busy", "false");
        handleOk("Places");
      } catch (err) {
        if (isAbort(err)) return;
        last.map = null;
        mapEl.setAttribute("aria-busy", "false");
        handleError(err, "Places");
      }
    }

    // Without map.js: the places as a list, each a link that filters the table.
    function renderPlaceList(features) {
      clear(mapEl);
      mapEl.classList.add("map-fallback");
      mapEl.dataset.points = String(features.length);
      if (!features.length) { mapEl.appendChild(h("p", {class: "muted"}, "No places for these filters.")); return; }
      const sorted = features.slice().sort((a, b) => (b.properties.facts || 0) - (a.properties.facts || 0));
      const list = h("ol", {class: "place-list"});
      for (const ft of sorted) {
        const pr = ft.properties || {};
        const p = current();
        p.set("place", pr.geonameid !== null && pr.geonameid !== undefined ? String(pr.geonameid) : (pr.name || ""));
        p.delete("page");
        const figures = [];
        if (pr.killed) figures.push(fmtNum(pr.killed) + " killed");
        if (pr.displaced) figures.push(fmtNum(pr.displaced) + " displaced");
        list.appendChild(h("li", null,
          h("a", {href: pagePath("/", p), "data-dashboard-link": "", class: "place-link", "data-testid": "place-link"}, pr.name || "?"),
          " ", h("small", {class: "muted"}, [pr.admin1, pr.country].filter(Boolean).join(", ")),
          h("a", {href: pagePath("/", p), "data-dashboard-link": "", class: "place-figures", tabindex: "-1"},
            (typeof pr.incidents === "number" ? fmtNum(pr.incidents) + (pr.incidents === 1 ? " incident · " : " incidents · ") : "") +
            fmtNum(pr.facts || 0) + (pr.facts === 1 ? " fact" : " facts") + (figures.length ? " · " + figures.join(" · ") : ""))));
      }
      mapEl.appendChild(list);
    }

    /* ----- timeline ----- */

    // What the server counted (its answers say): the switch shows it, and the incidents' total is shown then.
    function counted(mode) {
      if (!COUNTS.includes(mode)) return;
      countSel.value = mode;
      countSel.dataset.counted = mode;
    }

    async function loadIncidentTotal(filters) {
      const signal = fresh("incidents");
      const p = new URLSearchParams(filters);
      p.set("per_page", "1");
      try {
        const data = await api("/api/incidents", {params: p, signal});
        const total = data.total || 0;
        clear(incidentSummary);
        incidentSummary.appendChild(h("a", {href: pagePath("/incidents", filters), "data-testid": "incident-total"},
          fmtNum(total) + (total === 1 ? " incident" : " incidents")));
        incidentSummary.dataset.total = String(total);
        incidentSummary.hidden = false;
      } catch (err) {
        if (!isAbort(err)) incidentSummary.hidden = true;
      }
    }

    async function loadTimeline(filters, interval, count) {
      const signal = fresh("timeline");
      timelineEl.setAttribute("aria-busy", "true");
      try {
        const measures = ["killed", "displaced"];
        const answers = await Promise.all(measures.map(measure => {
          const p = new URLSearchParams(filters);
          p.set("measure", measure);
          p.set("interval", interval);
          p.set("by", "none");
          if (count) p.set("count", count);
          return api("/api/aggregates", {params: p, signal});
        }));
        timelineData = {filters, interval, answers};
        counted(answers[0] && answers[0].count);
        if (answers[0] && answers[0].count === "incidents") loadIncidentTotal(filters); else incidentSummary.hidden = true;
        renderTimeline();
        timelineEl.setAttribute("aria-busy", "false");
        handleOk("Timeline");
      } catch (err) {
        if (isAbort(err)) return;
        last.timeline = null;
        timelineEl.setAttribute("aria-busy", "false");
        handleError(err, "Timeline");
      }
    }

    function isoDay(d) { return d.toISOString().slice(0, 10); }
    function parseDay(s) { return new Date(s + "T00:00:00Z"); }

    function periodEnd(start, interval) {
      const d = parseDay(start);
      if (interval === "week") d.setUTCDate(d.getUTCDate() + 6);
      else if (interval === "month") { d.setUTCMonth(d.getUTCMonth() + 1, 1); d.setUTCDate(0); }
      return isoDay(d);
    }

    function nextPeriod(start, interval) {
      const d = parseDay(start);
      if (interval === "day") d.setUTCDate(d.getUTCDate() + 1);
      else if (interval === "week") d.setUTCDate(d.getUTCDate() + 7);
      else d.setUTCMonth(d.getUTCMonth() + 1, 1);
      return isoDay(d);
    }

    function pointsOf(answer) {
      // Sum the groups (by=none gives one), period -> {value, n}: n facts or incidents, as counted.
      const out = new Map();
      for (const s of (answer && answer.series) || []) {
        for (const pt of s.points || []) {
          const cur = out.get(pt.period) || {value: 0, n: 0};
          cur.value += pt.value || 0;
          cur.n += (answer.count === "incidents" ? pt.incidents : pt.facts) || 0;
          out.set(pt.period, cur);
        }
      }
      return out;
    }

    function renderTimeline() {
      if (!timelineData) return;
      const {filters, interval, answers} = timelineData;
      clear(timelineEl);
      const series = answers.map(pointsOf);
      const all = Array.from(new Set(series.flatMap(s => Array.from(s.keys())))).sort();
      let periods = all;
      if (all.length) {
        // Every period between the first and the last, so that gaps show as gaps.
        const filled = [];
        for (let p = all[0]; p <= all[all.length - 1] && filled.length <= 400; p = nextPeriod(p, interval)) filled.push(p);
        if (filled.length <= 400) periods = filled;
      }
      const defs = [
        {measure: "killed", type: "casualty", label: "Killed", answer: answers[0], points: series[0]},
        {measure: "displaced", type: "displacement", label: "Displaced", answer: answers[1], points: series[1]},
      ];
      const width = Math.max(320, Math.floor(timelineEl.clientWidth || 560));
      for (const def of defs) timelineEl.appendChild(renderChart(def, periods, interval, filters, width));
    }

    function linkFor(type, since, until, filters) {
      const p = new URLSearchParams(filters);
      p.delete("type");
      p.append("type", type);
      if (since) p.set("since", since); else p.delete("since");
      if (until) p.set("until", until); else p.delete("until");
      const cur = current();
      for (const key of ["sort", "per_page", "interval", "count"]) if (cur.get(key)) p.set(key, cur.get(key));
      return pagePath("/", p);
    }

    function renderChart(def, periods, interval, filters, width) {
      const total = def.answer && typeof def.answer.total === "number" ? def.answer.total : 0;
      const fig = h("figure", {class: "chart chart-" + def.measure, "data-measure": def.measure, "data-testid": "chart-" + def.measure});
      const first = periods[0], lastP = periods[periods.length - 1];
      fig.appendChild(h("figcaption", null,
        h("span", {class: "chart-label type-text-" + def.type}, def.label + " per " + interval), " · total ",
        h("a", {href: linkFor(def.type, null, null, filters), "data-dashboard-link": "", class: "chart-total", "data-testid": "chart-total-" + def.measure}, fmtNum(total))));
      const height = 140, top = 16, bottom = 18, left = 4, right = 4;
      const plotH = height - top - bottom;
      const n = periods.length;
      const chart = svg("svg", {class: "chart-svg", width: String(width), height: String(height), viewBox: "0 0 " + width + " " + height,
        role: "img", "aria-label": def.label + " per " + interval + (n ? ", " + first + " to " + lastP : ", no data")});
      fig.appendChild(chart);
      chart.appendChild(svg("line", {x1: left, x2: width - right, y1: top + plotH + 0.5, y2: top + plotH + 0.5, class: "axis"}));
      if (!n) {
        chart.appendChild(svg("text", {x: width / 2, y: top + plotH / 2, class: "chart-empty", "text-anchor": "middle"}, "No figures for these filters"));
        return fig;
      }
      let max = 0;
      for (const p of periods) max = Math.max(max, (def.points.get(p) || {value: 0}).value);
      if (!max) chart.appendChild(svg("text", {x: width / 2, y: top + plotH / 2, class: "chart-empty", "text-anchor": "middle"}, "No figures for these filters"));
      const slot = (width - left - right) / n;
      const barW = Math.max(1, Math.min(48, slot * 0.78));
      const showLabels = slot >= 26;
      for (let i = 0; i < n; i++) {
        const period = periods[i];
        const pt = def.points.get(period);
        const x = left + i * slot + (slot - barW) / 2;
        if (!pt || !pt.value) continue;
        const barH = max ? Math.max(1.5, plotH * pt.value / max) : 0;
        const y = top + plotH - barH;
        const end = periodEnd(period, interval);
        const unit = def.answer && def.answer.count === "incidents" ? " incident" : " fact";
        const title = def.label + " " + (interval === "day" ? period : period + " – " + end) + ": " + fmtNum(pt.value) +
          " (" + fmtNum(pt.n) + unit + (pt.n === 1 ? "" : "s") + ")";
        const a = svg("a", {href: linkFor(def.type, period, end, filters), class: "bar-link", "data-dashboard-link": "",
          "data-period": period, "data-value": pt.value, "data-testid": "bar-" + def.measure, "aria-label": title},
          svg("title", null, title),
          svg("rect", {x: x.toFixed(1), y: y.toFixed(1), width: barW.toFixed(1), height: barH.toFixed(1), class: "bar bar-" + def.type}));
        if (showLabels) {
          a.appendChild(svg("text", {x: (x + barW / 2).toFixed(1), y: (y - 3).toFixed(1), "text-anchor": "middle", class: "bar-value"}, compact(pt.value)));
        }
        chart.appendChild(a);
      }
      // Period labels: as many as fit.
      const labelW = interval === "month" ? 42 : 60;  // 10px digits are about 6px wide
      const every = Math.max(1, Math.ceil((labelW + 16) / slot));
      let lastX = -Infinity;
      for (let i = 0; i < n; i += every) {
        const x = Math.min(Math.max(left + i * slot + slot / 2, left + labelW / 2), width - right - labelW / 2);
        if (x - lastX < labelW + 8) continue;
        lastX = x;
        chart.appendChild(svg("text", {x: x.toFixed(1), y: height - 4, "text-anchor": "middle", class: "tick"},
          interval === "month" ? periods[i].slice(0, 7) : periods[i]));
      }
      return fig;
    }

    function compact(n) {
      if (n >= 1e6) return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + "M";
      if (n >= 1e4) return Math.round(n / 1e3) + "k";
      return fmtNum(n);
    }

    let resizeTimer = null;
    if (window.ResizeObserver) {
      let lastWidth = 0;
      new ResizeObserver(() => {
        const w = timelineEl.clientWidth;
        if (Math.abs(w - lastWidth) < 2) return;
        lastWidth = w;
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(renderTimeline, 100);
      }).observe(timelineEl);
    }

    fillForm(current());
    factTypes().then(load);  // labels and colours first (one small answer, asked for when common.js ran)
  }

  window.WM.onReady(() => { if (window.WM.PAGE === "dashboard") initDashboard(); });
})();
