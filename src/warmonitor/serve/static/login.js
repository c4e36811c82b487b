/* warmonitor login page: logs in through the API and goes on to the page named by ?next= (a path on this
 * site only).
 * Needs common.js (window.WM) loaded before it.
 *
 * Safety rule for every warmonitor script: data (article text, fact values, names, reasons) only ever
 * enters the page through textContent, createTextNode and setAttribute on safe attributes (see `h` in
 * common.js), never through innerHTML or HTML built from strings. A URL from the data becomes a link only
 * when it starts with http:// or https://; links made here point to this site's own paths.
 */
"use strict";

(function () {
  const {ROOT, h, clear, append, $, showAlert, api} = window.WM;

  // Where to go after logging in: a path on this site ("/..." but not "//..." or "/\..."), else home.
  function safeNext(value) {
    if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//")) return ROOT + "/";
    if (value.includes("\\") || /[\u0000-\u001f\u007f]/.test(value)) return ROOT + "/";
    try {
      const u = new URL(value, location.origin);
      if (u.origin !== location.origin) return ROOT + "/";
      if (u.pathname === ROOT + "/login") return ROOT + "/";
      return u.pathname + u.search + u.hash;
    } catch (_) {
      return ROOT + "/";
    }
  }

  function initLogin(me) {
    const form = $("#login-form");
    const errBox = $("#login-error");
    const next = safeNext(new URLSearchParams(location.search).get("next"));
    if (me && me.user) {
      const cur = $("#login-current");
      clear(cur);
      append(cur, ["You are logged in as ", h("strong", null, me.user), ". ", h("a", {href: next}, "Continue ›")]);
      cur.hidden = false;
    }
    form.addEventListener("submit", async ev => {
      ev.preventDefault();
      showAlert(errBox, "");
      const username = form.elements.username.value.trim();
      const password = form.elements.password.value;
      if (!username || !password) { showAlert(errBox, "Enter your user name and password."); return; }
      const button = $("#login-submit");
      button.disabled = true;
      try {
        await api("/api/login", {method: "POST", body: {username, password}});
        location.assign(next);
      } catch (err) {
        showAlert(errBox, err.status === 401 || err.status === 403 ? (err.message || "Wrong user name or password.") : err.message);
        form.elements.password.value = "";
        form.elements.password.focus();
        button.disabled = false;
      }
    });
    $("#login-submit").disabled = false;  // the template keeps it disabled until this handler exists
  }

  // Exposed for browser tests and debugging; no page logic depends on it.
  window.warmonitor = Object.assign(window.warmonitor || {}, {safeNext});

  window.WM.onReady(() => { if (window.WM.PAGE === "login") window.WM.session().then(initLogin); });
})();
