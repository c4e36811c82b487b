/* warmonitor fact page: the fact's fields and evidence, its audit trail and, for analysts and admins,
 * the review form (confirm, reject or correct).
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
    h, clear, append, $, showAlert, articleUrl, loginUrl, getMe, api, fmtCount, fmtPlace, fmtWhen, typeBadge,
    renderFields, renderChanges, actionBadge,
  } = window.WM;

  function initFact() {
    const id = document.body.dataset.factId;
    const errorBox = $("#fact-error");
    let fact = null;

    // "12" -> 12; "12 (10-15)" -> {low: 10, best: 12, high: 15}.
    function parseCount(s) {
      const t = s.replace(/[,\s]/g, "");
      let m = /^(\d+)$/.exec(t);
      if (m) return Number(m[1]);
      m = /^(\d+)\((\d+)[-–](\d+)\)$/.exec(t);
      if (m) {
        const [best, low, high] = [Number(m[1]), Number(m[2]), Number(m[3])];
        if (low <= best && best <= high) return {low, best, high};
        throw new Error("Count: the best figure must lie within the range, as in 12 (10-15).");
      }
      throw new Error("Count must be a whole number (12), or a best figure and a range: 12 (10-15).");
    }

    function countInput(c) {
      if (!c || c.best === null || c.best === undefined) return "";
      const has = v => v !== null && v !== undefined;
      if (has(c.low) && has(c.high) && (c.low !== c.best || c.high !== c.best)) return c.best + " (" + c.low + "-" + c.high + ")";
      return String(c.best);
    }

    function initialValues(f) {
      return {
        count: countInput(f.count),
        place: fmtPlace(f.place),
        actors: (f.actors || []).join(", "),
        date: f.date || "",
        victims: f.victims || "",
      };
    }

    function render(f) {
      fact = f;
      document.title = "Fact " + f.id + " · warmonitor";
      const title = $("#fact-title");
      clear(title);
      append(title, ["Fact #" + f.id + " ", typeBadge(f.type), " ", h("span", {class: "title-count"}, fmtCount(f.count))]);
      const state = $("#review-state");
      state.className = "state state-" + f.review_state;
      state.dataset.state = f.review_state;
      state.textContent = f.review_state;
      renderFields($("#fact-fields"), f);

      const ev = f.evidence || {};
      $("#evidence-text").textContent = ev.text || "";
      const src = $("#evidence-source");
      clear(src);
      const art = f.article || {};
      append(src, [
        h("a", {href: articleUrl(f.article_id, f.id), id: "evidence-link", "data-testid": "evidence-link"}, "Show in the article ›"),
        " · ", art.title || "article " + f.article_id,
        art.outlet ? " · " + art.outlet : "", art.published ? " · " + art.published : "",
        art.url && /^https?:\/\//i.test(art.url) ? [" · ", h("a", {href: art.url, rel: "noopener noreferrer nofollow", target: "_blank"}, "original ↗")] : "",
      ]);

      const tbody = $("#audit-trail tbody");
      clear(tbody);
      const reviews = f.reviews || [];
      if (!reviews.length) tbody.appendChild(h("tr", {class: "empty"}, h("td", {colspan: "5"}, "Not reviewed yet.")));
      for (const r of reviews) {
        tbody.appendChild(h("tr", {"data-review-id": r.id, "data-testid": "review-row"},
          h("td", {class: "nowrap"}, h("time", {datetime: r.at, title: r.at}, fmtWhen(r.at))),
          h("td", null, r.user || ""),
          h("td", null, actionBadge(r.action)),
          h("td", null, renderChanges(r.changes, r.original)),
          h("td", {class: "reason"}, r.reason || "")));
      }
    }

    async function setupForm(me) {
      const slot = $("#review-slot");
      clear(slot);
      if (!me || !me.user || !["analyst", "admin"].includes(me.role)) {
        slot.appendChild(h("p", {class: "muted", id: "review-login", "data-testid": "review-login"},
          me && me.user ? "Only analysts and admins can review facts." : [h("a", {href: loginUrl()}, "Log in"), " as an analyst to confirm, reject or correct this fact."]));
        return;
      }
      const form = $("#review-form-template").content.firstElementChild.cloneNode(true);
      slot.appendChild(form);
      const corr = $("#correction-fields", form);
      const errBox = $("#review-error", form);
      let initial = initialValues(fact);

      function fill() {
        initial = initialValues(fact);
        for (const [k, v] of Object.entries(initial)) form.elements[k].value = v;
      }
      fill();
      form.elements.count.placeholder = fmtCount(fact.count) && !initial.count ? "now: " + fmtCount(fact.count) : "12 or 12 (10-15)";
      function syncAction() {
        const action = form.elements.action.value;
        corr.disabled = action !== "correct";
        form.dataset.action = action;
        $("#review-submit", form).textContent = {confirm: "Confirm fact", reject: "Reject fact", correct: "Save correction"}[action] || "Submit review";
      }
      form.addEventListener("change", ev => { if (ev.target.name === "action") syncAction(); });
      syncAction();

      form.addEventListener("submit", async ev => {
        ev.preventDefault();
        showAlert(errBox, "");
        $("#review-status").textContent = "";
        const action = form.elements.action.value;
        const reason = form.elements.reason.value.trim();
        const body = {action, reason};
        try {
          if (!reason) throw new Error("Give a reason for the review.");
          if (action === "correct") {
            const changes = {};
            const val = k => form.elements[k].value.trim();
            if (val("count") !== initial.count && val("count") !== "") changes.count = parseCount(val("count"));
            if (val("place") !== initial.place && val("place") !== "") changes.place = val("place");
            const actors = val("actors").split(",").map(s => s.trim()).filter(Boolean);
            if (actors.join(", ") !== initial.actors) changes.actors = actors;
            if (val("date") !== initial.date && val("date") !== "") changes.date = val("date");
            if (val("victims") !== initial.victims && val("victims") !== "") changes.victims = val("victims");
            if (!Object.keys(changes).length) throw new Error("Change at least one field to correct the fact.");
            body.changes = changes;
          }
        } catch (err) {
          showAlert(errBox, err.message);
          (action === "correct" && !/reason/i.test(err.message) ? corr.querySelector("input") : form.elements.reason).focus();
          return;
        }
        const button = $("#review-submit", form);
        button.disabled = true;
        form.setAttribute("aria-busy", "true");
        try {
          await api("/api/facts/" + encodeURIComponent(id) + "/review", {method: "POST", body});
          const updated = await api("/api/facts/" + encodeURIComponent(id));
          render(updated);
          form.reset();
          fill();
          syncAction();
          $("#review-status").textContent = "Saved: the fact is now " + updated.review_state + ".";
        } catch (err) {
          showAlert(errBox, err.message, err.needsLogin);
        } finally {
          button.disabled = false;
          form.setAttribute("aria-busy", "false");
        }
      });
    }

    (async () => {
      try {
        const [f, me] = await Promise.all([api("/api/facts/" + encodeURIComponent(id)), getMe()]);
        render(f);
        await setupForm(me);
      } catch (err) {
        showAlert(errorBox, err.status === 404 ? "No fact " + id + "." : err.message, err.needsLogin);
      }
    })();
  }

  window.WM.onReady(() => { if (window.WM.PAGE === "fact") initFact(); });
})();
