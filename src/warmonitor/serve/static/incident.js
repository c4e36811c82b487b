/* warmonitor incident page: one incident with every source side by side (each source's figures with the
 * facts and evidence behind them, and why linking joined it), the contradictions highlighted, the toll's
 * history over time (a small chart and its table), the analysts' decisions, the close calls linking
 * refused, and, for analysts, merge and split forms that need a reason.
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
    ROOT, h, svg, clear, $, $all, showAlert, factUrl, articleUrl, loginUrl, api, getMe, fmtNum, fmtCount, fmtPlace,
    placeDetail, fmtValue, fmtWhen, describe, typeBadge, actionBadge, factTypes,
  } = window.WM;

  const OUTCOMES = ["killed", "injured", "detained", "displaced"];
  const REASON_LABELS = {day_gap: "days apart", place: "place", distance_km: "km apart", actors: "actors",
    victims: "victims", counts: "counts", text_similarity: "text similarity", copy_of: "copy of",
    constraint: "analyst's decision", opened: "opened the incident"};

  function incidentUrl(id) { return ROOT + "/incidents/" + encodeURIComponent(id); }

  function fmtFigure(c) {
    if (!c || typeof c.best !== "number") return "";
    const range = typeof c.low === "number" && typeof c.high === "number" && (c.low !== c.best || c.high !== c.best)
      ? " (reported " + fmtNum(c.low) + "–" + fmtNum(c.high) + ")" : "";
    return fmtNum(c.best) + range;
  }

  function fmtReasons(reasons) {
    const parts = [];
    for (const [k, v] of Object.entries(reasons || {})) {
      if (v === null || v === undefined || v === false) continue;
      const label = REASON_LABELS[k] || k.replace(/_/g, " ");
      parts.push(v === true ? label : label + ": " + fmtValue(v));
    }
    return parts.join(" · ");
  }

  function initIncident() {
    const id = document.body.dataset.incidentId;
    const errorBox = $("#incident-error");
    let data = null;

    function renderFields(r) {
      const dl = $("#incident-fields");
      clear(dl);
      const rows = [
        ["Kind", typeBadge(r.kind)],
        ["When", r.date || (r.period ? fmtValue(r.period) : "")],
        ["Place", r.place ? fmtPlace(r.place) + (placeDetail(r.place) ? " (" + placeDetail(r.place) + ")" : "") : ""],
        ...OUTCOMES.map(o => [o[0].toUpperCase() + o.slice(1), fmtFigure(r[o])]),
        ["Sources", fmtNum(r.sources || 0) + " articles, " + fmtNum(r.independent_sources || 0) + " independent"],
        ["Outlets", (r.outlets || []).join(", ")],
        ["Victims", (r.victims || []).join(", ")],
        ["Perpetrators", (r.perpetrators || []).join(", ")],
        ["Targets", (r.targets || []).join(", ")],
      ];
      for (const [k, v] of rows) {
        if (v === "" || v === null || v === undefined) continue;
        dl.appendChild(h("dt", null, k));
        dl.appendChild(h("dd", {"data-field": k.toLowerCase()}, v));
      }
      const status = $("#incident-status");
      status.textContent = r.status || "";
      status.className = "state incident-status status-" + String(r.status || "").replace(/[^a-z-]/g, "");
    }

    function renderContradictions(list) {
      const ul = $("#contradictions");
      clear(ul);
      $("#contradictions-section").hidden = !list.length;
      for (const c of list) {
        ul.appendChild(h("li", {class: "contradiction", "data-field": c.field, "data-testid": "contradiction"},
          h("strong", null, c.field + ": "),
          (c.values || []).map((v, i) => [i ? " vs " : "", h("span", {class: "disputed-value"}, fmtValue(v.value)),
            " ", h("small", {class: "muted"}, "(" + (v.articles || []).join(", ") + ")")])));
      }
    }

    function renderToll(history) {
      const box = $("#toll-history");
      clear(box);
      const outcomes = OUTCOMES.filter(o => (history[o] || []).length);
      if (!outcomes.length) { box.appendChild(h("p", {class: "muted"}, "No source gives a figure.")); return; }
      for (const o of outcomes) {
        const points = history[o];
        box.appendChild(tollChart(o, points));
        const table = h("table", {class: "audit-table toll-table", "data-outcome": o, "data-testid": "toll-table-" + o},
          h("caption", null, o),
          h("thead", null, h("tr", null, h("th", {scope: "col"}, "Published"), h("th", {scope: "col"}, "Outlet"),
            h("th", {scope: "col"}, "Article"), h("th", {scope: "col", class: "num"}, o), h("th", {scope: "col"}, "Counted?"))));
        const tbody = h("tbody");
        for (const p of points) {
          tbody.appendChild(h("tr", {class: "toll-" + String(p.state || "").replace(/[^a-z]/g, ""), "data-testid": "toll-row"},
            h("td", {class: "nowrap"}, p.published || "undated"), h("td", null, p.outlet || ""), h("td", null, p.article || ""),
            h("td", {class: "num"}, fmtNum(p.value)), h("td", null, p.state || "")));
        }
        table.appendChild(tbody);
        box.appendChild(table);
      }
    }

    // A step chart of one outcome's figures in publication order: the toll as the reports told it.
    function tollChart(outcome, points) {
      const width = 360, height = 110, left = 30, right = 8, top = 10, bottom = 20;
      const values = points.map(p => (typeof p.value === "number" ? p.value : 0));
      const max = Math.max(1, ...values);
      const n = points.length;
      const x = i => left + (n === 1 ? (width - left - right) / 2 : i * (width - left - right) / (n - 1));
      const y = v => top + (height - top - bottom) * (1 - v / max);
      const chart = svg("svg", {class: "toll-chart", width: String(width), height: String(height), viewBox: "0 0 " + width + " " + height,
        role: "img", "aria-label": outcome + " as reported, from " + (points[0].published || "?") + " to " + (points[n - 1].published || "?"),
        "data-testid": "toll-chart-" + outcome});
      chart.appendChild(svg("line", {x1: left, x2: width - right, y1: height - bottom + 0.5, y2: height - bottom + 0.5, class: "axis"}));
      chart.appendChild(svg("text", {x: left - 4, y: top + 4, "text-anchor": "end", class: "tick"}, fmtNum(max)));
      let path = "";
      points.forEach((p, i) => { path += (i ? " H " + x(i).toFixed(1) + " V " : "M " + x(i).toFixed(1) + " ") + y(values[i]).toFixed(1); });
      chart.appendChild(svg("path", {d: path, class: "toll-line"}));
      points.forEach((p, i) => {
        chart.appendChild(svg("circle", {cx: x(i).toFixed(1), cy: y(values[i]).toFixed(1), r: "3.5",
          class: "toll-point toll-" + String(p.state || "").replace(/[^a-z]/g, "")},
          svg("title", null, (p.published || "undated") + " · " + (p.outlet || p.article || "") + ": " + fmtNum(p.value) + (p.state ? " (" + p.state + ")" : ""))));
      });
      chart.appendChild(svg("text", {x: left, y: height - 4, class: "tick"}, points[0].published || ""));
      if (n > 1) chart.appendChild(svg("text", {x: width - right, y: height - 4, "text-anchor": "end", class: "tick"}, points[n - 1].published || ""));
      return chart;
    }

    function renderSources(sources) {
      const box = $("#sources");
      clear(box);
      for (const s of sources) {
        const url = typeof s.url === "string" && /^https?:\/\//i.test(s.url.trim()) ? s.url.trim() : null;
        const card = h("article", {class: "source-card" + (s.main ? " source-main" : "") + (s.disputed.length ? " source-disputed" : ""),
          "data-article-key": s.key, "data-testid": "source"},
          h("header", null,
            h("h3", null, s.outlet || "(no outlet)", s.main ? h("small", {class: "muted"}, " · main report") : null),
            h("p", {class: "meta"}, s.published || "undated", " · ",
              h("a", {href: articleUrl(s.article_id), "data-testid": "source-article-link"}, s.title || s.key),
              url ? [" · ", h("a", {href: url, rel: "noopener noreferrer nofollow", target: "_blank"}, "original")] : null)),
          figuresOf(s),
          h("p", {class: "link-why muted", "data-testid": "source-reasons"},
            s.reasons && s.reasons.opened ? "Opened the incident." :
              "Linked with score " + (typeof s.score === "number" ? s.score.toFixed(1) : "?") + ": " + fmtReasons(s.reasons)),
          h("ul", {class: "source-facts"}, s.facts.map(f => h("li", {"data-fact-id": f.id, "data-testid": "source-fact"},
            typeBadge(f.type), " ", h("a", {href: factUrl(f.id)}, "#" + f.id), " ",
            h("strong", null, fmtCount(f.count)), " ", describe(f),
            f.evidence && f.evidence.text ? h("blockquote", {class: "evidence-text"},
              h("a", {href: articleUrl(f.article_id, f.id), class: "evidence-link", title: "Show in the article"}, f.evidence.text)) : null))));
        box.appendChild(card);
      }
    }

    function figuresOf(s) {
      const dl = h("dl", {class: "fields source-figures", "data-testid": "source-figures"});
      for (const o of OUTCOMES) {
        const fig = s.figures[o];
        if (!fig) continue;
        const disputed = s.disputed.includes(o);
        dl.appendChild(h("dt", null, o));
        dl.appendChild(h("dd", {class: (disputed ? "disputed " : "") + "toll-" + String(fig.state || "").replace(/[^a-z]/g, ""),
          "data-outcome": o, title: disputed ? "the sources disagree on this figure" : ""},
          fmtNum(fig.value), fig.state && fig.state !== "counted" ? h("small", {class: "muted"}, " (" + fig.state + ")") : null));
      }
      return dl;
    }

    function renderDecisions(decisions) {
      const tbody = $("#decisions tbody");
      clear(tbody);
      if (!decisions.length) tbody.appendChild(h("tr", {class: "empty"}, h("td", {colspan: "5"}, "No analyst has merged or split these sources.")));
      for (const d of decisions) {
        tbody.appendChild(h("tr", {"data-testid": "decision-row"},
          h("td", {class: "nowrap"}, h("time", {datetime: d.at, title: d.at}, fmtWhen(d.at))),
          h("td", null, d.user || ""), h("td", null, actionBadge(d.action)),
          h("td", null, (d.articles || []).join(", ")), h("td", {class: "reason"}, d.reason || "")));
      }
    }

    function renderRefusals(refusals) {
      const ul = $("#refusals");
      clear(ul);
      $("#refusals-section").hidden = !refusals.length;
      for (const r of refusals) {
        ul.appendChild(h("li", null, h("a", {href: articleUrl(r.article_id)}, r.article), " · score ",
          typeof r.score === "number" ? r.score.toFixed(1) : "?", " · ", h("small", {class: "muted"}, fmtReasons(r.reasons))));
      }
    }

    function render(d) {
      data = d;
      const r = d.incident;
      $("#incident-title").textContent = "Incident " + r.id;
      document.title = "Incident " + r.id + " · warmonitor";
      renderFields(r);
      renderContradictions(d.contradictions || []);
      renderToll(d.toll_history || {});
      renderSources(d.sources || []);
      renderDecisions(d.decisions || []);
      renderRefusals(d.refusals || []);
    }

    async function afterDecision(answer, what) {
      const mine = (answer.incidents || []).find(r => (r.articles || []).includes((data.sources[0] || {}).key));
      const note = answer.linked ? "" : " " + (answer.problem || "");
      if (mine && mine.id !== id) { location.assign(incidentUrl(mine.id)); return; }
      $("#decide-status").textContent = what + " recorded." + note;
      render(await api("/api/incidents/" + encodeURIComponent(id)));
      setupForms(await getMe());
    }

    function setupForms(me) {
      const slot = $("#decide-slot");
      clear(slot);
      if (!me || !me.user || !["analyst", "admin"].includes(me.role)) {
        slot.appendChild(h("p", {class: "muted", "data-testid": "decide-login"},
          me && me.user ? "Only analysts and admins can merge or split incidents." : [h("a", {href: loginUrl()}, "Log in"), " as an analyst to merge or split incidents."]));
        return;
      }
      const forms = $("#decide-template").content.firstElementChild.cloneNode(true);
      slot.appendChild(forms);
      const merge = $("#merge-form", forms), split = $("#split-form", forms);
      const box = $(".split-sources", split);
      for (const s of data.sources) {
        box.appendChild(h("label", {class: "split-source"}, h("input", {type: "checkbox", name: "articles", value: s.key}),
          " " + (s.outlet || "?") + " · " + (s.published || "undated") + " · " + s.key));
      }
      async function submit(form, path, body, what) {
        const err = $(".form-error", form);
        showAlert(err, "");
        const button = $("button[type=submit]", form);
        button.disabled = true;
        try {
          await afterDecision(await api(path, {method: "POST", body}), what);
        } catch (e) {
          if (e.status === 409) $(".confirm-field", form).hidden = false;
          showAlert(err, e.message, e.needsLogin);
        } finally {
          button.disabled = false;
        }
      }
      merge.addEventListener("submit", ev => {
        ev.preventDefault();
        const other = merge.elements.other.value.trim(), reason = merge.elements.reason.value.trim();
        if (!other || !reason) { showAlert($(".form-error", merge), "Give the other incident's id and a reason."); return; }
        submit(merge, "/api/incidents/merge", {incidents: [id, other], reason, confirm: merge.elements.confirm.checked}, "Merge");
      });
      split.addEventListener("submit", ev => {
        ev.preventDefault();
        const articles = $all("input[name=articles]", split).filter(i => i.checked).map(i => i.value);
        const reason = split.elements.reason.value.trim();
        if (!articles.length || !reason) { showAlert($(".form-error", split), "Tick the sources to take out and give a reason."); return; }
        submit(split, "/api/incidents/split", {incident: id, articles, reason}, "Split");
      });
    }

    (async () => {
      try {
        const [d, me] = await Promise.all([api("/api/incidents/" + encodeURIComponent(id)), getMe(), factTypes()]);
        render(d);
        setupForms(me);
      } catch (err) {
        showAlert(errorBox, err.message, err.needsLogin);
      }
    })();
  }

  window.WM.onReady(() => { if (window.WM.PAGE === "incident") initIncident(); });
})();
