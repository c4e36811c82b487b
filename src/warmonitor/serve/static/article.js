/* warmonitor article page: the article's text with every fact's evidence highlighted, the list of its
 * facts and the selected fact's fields.
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
    typeClass, h, clear, append, $, $all, showAlert, pagePath, factUrl, api, fmtNum, fmtCount, fmtDate, fmtPlace,
    describe, typeBadge, stateBadge, renderFields,
  } = window.WM;

  // Split `text` (code points) at every evidence boundary and nest one <mark> per fact covering each
  // piece. Facts are ordered by (start, longer first, id), so a span inside another nests inside its
  // mark; a span that crosses the end of an earlier one is split and its later part is a
  // continuation mark (same data-fact-id, no id). The first piece of each fact carries id="fact-ID".
  function renderHighlights(container, text, facts) {
    const chars = Array.from(text || "");
    const len = chars.length;
    const spans = [];
    const bad = [];
    for (const f of facts) {
      const ev = f.evidence || {};
      let start = Number(ev.start), end = Number(ev.end);
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > len) { bad.push(f); continue; }
      end = Math.min(Math.max(end, start), len);
      spans.push({f, start, end});
    }
    spans.sort((a, b) => a.start - b.start || b.end - a.end || a.f.id - b.f.id);
    const order = new Map(spans.map((s, i) => [s, i]));
    const bounds = new Set([0, len]);
    for (const s of spans) { bounds.add(s.start); bounds.add(s.end); }
    const cuts = Array.from(bounds).sort((a, b) => a - b);
    const opened = new Set();
    let stack = [];  // [{span, node}]
    const top = () => (stack.length ? stack[stack.length - 1].node : container);

    function openMark(s) {
      const first = !opened.has(s.f.id);
      opened.add(s.f.id);
      const t = typeClass(s.f.type);
      const mark = h("mark", {
        id: first ? "fact-" + s.f.id : null, class: "fact fact-" + t + (first ? "" : " fact-cont"),
        "data-fact-id": s.f.id, "data-testid": first ? "fact-mark" : null, tabindex: first ? "0" : null,
      });
      top().appendChild(mark);
      stack.push({span: s, node: mark});
    }

    // Empty spans (start == end) still get their anchor.
    const empties = spans.filter(s => s.start === s.end);
    let ei = 0;
    for (let i = 0; i < cuts.length; i++) {
      const pos = cuts[i];
      if (ei < empties.length && empties[ei].start === pos) {
        const ended = stack.findIndex(e => e.span.end <= pos);  // close marks that end here first
        if (ended >= 0) stack.length = ended;
        while (ei < empties.length && empties[ei].start === pos) { openMark(empties[ei]); stack.pop(); ei++; }
      }
      if (i === cuts.length - 1) break;
      const next = cuts[i + 1];
      const active = spans.filter(s => s.start <= pos && s.end >= next && s.end > s.start)
        .sort((a, b) => order.get(a) - order.get(b));
      let keep = 0;
      while (keep < stack.length && keep < active.length && stack[keep].span === active[keep]) keep++;
      stack.length = keep;
      for (let k = keep; k < active.length; k++) openMark(active[k]);
      top().appendChild(document.createTextNode(chars.slice(pos, next).join("")));
    }
    // Facts whose evidence lies outside the text: anchors at the end so that links still land.
    for (const f of bad) {
      if (opened.has(f.id)) continue;
      opened.add(f.id);
      container.appendChild(h("mark", {id: "fact-" + f.id, class: "fact fact-missing", "data-fact-id": f.id, title: "evidence not found in the text"}));
    }
    return bad;
  }

  function initArticle() {
    const id = document.body.dataset.articleId;
    const textEl = $("#article-text");
    const list = $("#article-facts");
    const detail = $("#fact-detail");
    let facts = [];
    let byId = new Map();

    function select(factId, scroll) {
      const f = byId.get(String(factId));
      for (const n of $all(".selected", textEl)) n.classList.remove("selected");
      for (const n of $all("li.selected", list)) { n.classList.remove("selected"); n.removeAttribute("aria-current"); }
      if (!f) return;
      for (const n of $all("mark[data-fact-id='" + f.id + "']", textEl)) n.classList.add("selected");
      const li = $("li[data-fact-id='" + f.id + "']", list);
      if (li) { li.classList.add("selected"); li.setAttribute("aria-current", "true"); }
      clear(detail);
      detail.dataset.factId = String(f.id);
      const dl = h("dl", {class: "fields fields-compact"});
      renderFields(dl, f);
      const others = $all("mark[data-fact-id='" + f.id + "']", textEl).length ? overlapping(f) : [];
      append(detail, [
        h("h2", null, h("a", {href: factUrl(f.id), "data-testid": "detail-fact-link"}, "Fact #" + f.id), " ", typeBadge(f.type)),
        dl,
        others.length ? h("p", {class: "muted"}, "Same passage: ", others.map((o, i) => [i ? ", " : "",
          h("a", {href: "#fact-" + o.id, "data-select": o.id}, "#" + o.id + " " + o.type)])) : null,
        h("p", null, h("a", {href: factUrl(f.id)}, "Open the fact page (review, audit trail) ›")),
      ]);
      const mark = document.getElementById("fact-" + f.id);
      if (scroll && mark) mark.scrollIntoView({block: "center", behavior: "smooth"});
      if (scroll && li) li.scrollIntoView({block: "nearest"});
    }

    function overlapping(f) {
      const a = f.evidence || {};
      return facts.filter(o => o.id !== f.id && o.evidence && o.evidence.start < a.end && a.start < o.evidence.end);
    }

    function selectFromHash(scroll) {
      const m = /^#fact-(\d+)$/.exec(location.hash);
      if (m) select(m[1], scroll);
    }

    textEl.addEventListener("click", ev => {
      const mark = ev.target.closest("mark[data-fact-id]");
      if (!mark) return;
      const fid = mark.dataset.factId;
      history.replaceState(null, "", "#fact-" + fid);
      select(fid, false);
    });
    textEl.addEventListener("keydown", ev => {
      if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches("mark[data-fact-id]")) {
        ev.preventDefault();
        history.replaceState(null, "", "#fact-" + ev.target.dataset.factId);
        select(ev.target.dataset.factId, false);
      }
    });
    for (const container of [list, detail]) {
      container.addEventListener("click", ev => {
        const a = ev.target.closest("[data-select]");
        if (!a) return;
        ev.preventDefault();
        history.replaceState(null, "", "#fact-" + a.dataset.select);
        select(a.dataset.select, true);
      });
    }
    window.addEventListener("hashchange", () => selectFromHash(true));

    (async () => {
      try {
        const a = await api("/api/articles/" + encodeURIComponent(id));
        document.title = (a.title || "Article " + id) + " · warmonitor";
        $("#article-title").textContent = a.title || "Article " + id;
        const meta = $("#article-meta");
        clear(meta);
        const bits = [];
        if (a.outlet) bits.push(h("span", {class: "outlet", "data-testid": "article-outlet"}, a.outlet));
        if (a.published) bits.push(h("time", {datetime: a.published, "data-testid": "article-published"}, a.published));
        if (a.version && a.version > 1) bits.push(h("span", null, "version " + a.version));
        if (a.url) {
          const href = /^https?:\/\//i.test(a.url) ? a.url : null;
          bits.push(href ? h("a", {href, rel: "noopener noreferrer nofollow", target: "_blank", id: "article-url", "data-testid": "article-url"}, "original ↗")
            : h("span", {class: "muted", id: "article-url", title: "not a web link"}, a.url));
        }
        bits.push(h("a", {href: pagePath("/", new URLSearchParams({article: String(a.id)})), "data-testid": "article-dashboard-link"}, "facts in the dashboard"));
        bits.forEach((b, i) => append(meta, [i ? " · " : "", b]));

        facts = (a.facts || []).slice().sort((x, y) => ((x.evidence || {}).start - (y.evidence || {}).start) || x.id - y.id);
        byId = new Map(facts.map(f => [String(f.id), f]));
        clear(textEl);
        const bad = renderHighlights(textEl, a.text || "", facts);
        textEl.setAttribute("aria-busy", "false");
        $("#article-fact-count").textContent = "(" + fmtNum(facts.length) + ")";
        clear(list);
        if (!facts.length) list.appendChild(h("li", {class: "muted"}, "No facts were found in this article."));
        for (const f of facts) {
          const count = fmtCount(f.count);
          const where = [fmtPlace(f.place), fmtDate(f)].filter(Boolean).join(" · ");
          list.appendChild(h("li", {"data-fact-id": f.id, "data-testid": "article-fact", class: "type-" + f.type},
            h("a", {href: "#fact-" + f.id, "data-select": f.id, class: "article-fact-link"},
              typeBadge(f.type), " ",
              count ? h("strong", {class: "count"}, count) : null, count ? " " : null,
              h("span", null, describe(f)),
              where ? h("small", {class: "muted"}, " — " + where) : null,
              bad.includes(f) ? h("small", {class: "warn"}, " (evidence outside the text)") : null),
            " ", stateBadge(f.review_state)));
        }
        selectFromHash(true);
      } catch (err) {
        textEl.setAttribute("aria-busy", "false");
        showAlert($("#article-error"), err.status === 404 ? "No article " + id + "." : err.message, err.needsLogin);
      }
    })();
  }

  // Exposed for browser tests and debugging; no page logic depends on it.
  window.warmonitor = Object.assign(window.warmonitor || {}, {renderHighlights});

  window.WM.onReady(() => { if (window.WM.PAGE === "article") initArticle(); });
})();
