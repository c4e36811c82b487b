/* warmonitor reviews page: every review (the audit trail of all facts), newest first, filtered by user
 * or fact.
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
    h, clear, $, showAlert, pagePath, factUrl, articleUrl, api, isAbort, fmtNum, fmtWhen, renderPager,
    renderChanges, actionBadge,
  } = window.WM;

  function initReviews() {
    const form = $("#reviews-filters");
    const tbody = $("#audit-trail tbody");
    const summary = $("#result-summary");
    const PER_PAGE = 50;
    let controller = null;

    function current() { return new URLSearchParams(location.search); }
    function fill(p) {
      form.elements.user.value = p.get("user") || "";
      form.elements.fact_id.value = p.get("fact_id") || "";
    }
    function go(p, push) {
      const clean = new URLSearchParams();
      for (const k of ["user", "fact_id", "page"]) if (p.get(k)) clean.set(k, p.get(k));
      if (clean.get("page") === "1") clean.delete("page");
      history[push ? "pushState" : "replaceState"](null, "", pagePath("/reviews", clean));
      load();
    }
    form.addEventListener("submit", ev => {
      ev.preventDefault();
      go(new URLSearchParams({user: form.elements.user.value.trim(), fact_id: form.elements.fact_id.value.trim()}), true);
    });
    $("#clear-filters").addEventListener("click", () => { fill(new URLSearchParams()); go(new URLSearchParams(), true); });
    window.addEventListener("popstate", load);

    async function load() {
      const p = current();
      fill(p);
      const page = Math.max(1, parseInt(p.get("page") || "1", 10) || 1);
      const params = new URLSearchParams();
      if (p.get("user")) params.set("user", p.get("user"));
      if (p.get("fact_id")) params.set("fact_id", p.get("fact_id"));
      params.set("page", String(page));
      params.set("per_page", String(PER_PAGE));
      if (controller) controller.abort();
      controller = new AbortController();
      $("#audit-trail").setAttribute("aria-busy", "true");
      try {
        const data = await api("/api/reviews", {params, signal: controller.signal});
        showAlert($("#reviews-error"), "");
        const reviews = data.reviews || [];
        const total = typeof data.total === "number" ? data.total : reviews.length;
        summary.textContent = fmtNum(total) + (total === 1 ? " review" : " reviews") + ", newest first";
        clear(tbody);
        if (!reviews.length) tbody.appendChild(h("tr", {class: "empty"}, h("td", {colspan: "6"}, "No reviews yet.")));
        for (const r of reviews) {
          tbody.appendChild(h("tr", {"data-review-id": r.id, "data-fact-id": r.fact_id, "data-testid": "review-row"},
            h("td", {class: "nowrap"}, h("time", {datetime: r.at, title: r.at}, fmtWhen(r.at))),
            h("td", null, r.user || ""),
            h("td", null, actionBadge(r.action)),
            h("td", {class: "nowrap"},
              r.fact_id !== null && r.fact_id !== undefined ? h("a", {href: factUrl(r.fact_id), "data-testid": "review-fact-link"}, "#" + r.fact_id)
                : h("span", {class: "muted", title: r.fact_key || ""}, "gone"),
              r.article_id !== null && r.article_id !== undefined && r.fact_id !== null && r.fact_id !== undefined
                ? [" ", h("a", {href: articleUrl(r.article_id, r.fact_id), class: "muted", title: "in the article"}, "¶")] : null),
            h("td", null, renderChanges(r.changes, r.original)),
            h("td", {class: "reason"}, r.reason || "")));
        }
        renderPager(total, page, PER_PAGE, n => { const q = current(); q.set("page", String(n)); go(q, true); });
      } catch (err) {
        if (isAbort(err)) return;
        clear(tbody);
        summary.textContent = "";
        showAlert($("#reviews-error"), err.message, err.needsLogin);
      } finally {
        $("#audit-trail").setAttribute("aria-busy", "false");
      }
    }
    load();
  }

  window.WM.onReady(() => { if (window.WM.PAGE === "reviews") initReviews(); });
})();
