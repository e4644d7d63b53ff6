/* What a console user typed into a form comes back after he signs in again when his session
 * ended before it was saved. Loaded once by base.html; its <script> carries the note to show
 * (data-note, translated by the server) and the login page's address (data-login).
 *
 *   1. The values of the fields he changed are kept in this tab's sessionStorage, keyed by the
 *      page's path and the form's action, when
 *        - a console form (method=post) is sent: the server then sends the browser to the login
 *          page with `next=<the page>&sent=1` (siaga/accounts/middleware.py);
 *        - a script's request is answered that the session ended (siagaTypedKept.ended: 401, or
 *          the login page): a form it sends (the Posko's form[data-action] and
 *          form[data-action-base], the apel's NRP box), a button of the Posko or the apel, or a
 *          part htmx refreshes (console.js). Every form of the page he changed is kept
 *          (siagaTypedKept.keep) and the script goes to that login page (signIn); after a
 *          refresh only when something was typed, else the page is reloaded as before.
 *      Not kept: passwords, files, the CSRF token, hidden and read-only fields (the server sets
 *      those), buttons, and fields left as the server filled them (they show what is saved now).
 *   2. On the login page with `sent=1` this file notes that the page `next` should get its kept
 *      values back.
 *   3. After signing in, the user lands on that page: the values go back into the same fields
 *      and a note at the form says they are not saved yet, to check and send again.
 *
 * Any other load of a page (the form was saved, a fresh visit, another user) drops the values
 * kept for it, so an old draft never reappears by surprise; values older than MAX_AGE_MS are
 * dropped on every page. Nothing is sent anywhere: the values stay in this tab. The phone page's
 * reports are not forms of this kind: its queue (queue.js) keeps them and sends them after the
 * login by itself; putting them back in the form too would have them sent twice.
 */
(() => {
  "use strict";

  const STORE = "siaga-typed-kept";
  const MAX_AGE_MS = 3 * 60 * 60 * 1000; // three hours: a draft older than a shift is not his now
  const SKIPPED_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);
  const SCRIPT = document.currentScript;
  const NOTE = (SCRIPT && SCRIPT.dataset.note) || "";
  const LOGIN = (SCRIPT && SCRIPT.dataset.login) || "/login/";

  function load() {
    try {
      const state = JSON.parse(window.sessionStorage.getItem(STORE) || "{}");
      return state && typeof state === "object" ? state : {};
    } catch (_) {
      return {}; // storage off or unreadable: the forms work as before, nothing comes back
    }
  }

  function save(state) {
    try {
      if (!state.pending && !Object.keys(state.drafts || {}).length) window.sessionStorage.removeItem(STORE);
      else window.sessionStorage.setItem(STORE, JSON.stringify(state));
    } catch (_) {
      /* full or off: nothing is kept */
    }
  }

  function who() {
    const span = document.querySelector(".topbar .who");
    return span ? span.textContent.trim() : "";
  }

  function keptFields(form) {
    return Array.from(form.elements).filter((el) => {
      if (!el.name || el.disabled || el.readOnly || el.name === "csrfmiddlewaretoken") return false;
      if (el.tagName === "INPUT") return !SKIPPED_TYPES.has(el.type);
      return el.tagName === "SELECT" || el.tagName === "TEXTAREA";
    });
  }

  // Each field's key: its name, its value for a checkbox or radio (which one of the same name),
  // and how many fields with that name came before it (rows of the same inputs).
  function fieldKeys(fields) {
    const seen = new Map();
    return fields.map((el) => {
      const base = el.type === "checkbox" || el.type === "radio" ? `${el.name}=${el.value}` : el.name;
      const n = seen.get(base) || 0;
      seen.set(base, n + 1);
      return `${base}#${n}`;
    });
  }

  function valueOf(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked;
    if (el.tagName === "SELECT" && el.multiple) return Array.from(el.selectedOptions, (o) => o.value);
    return el.value;
  }

  // Typed or chosen on this page: differs from what the server put there. Only these come back,
  // onto the fresh page, so a field he did not touch shows what is saved now.
  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT" && el.multiple) return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    if (el.tagName === "SELECT") {
      const initial = Array.from(el.options).find((o) => o.defaultSelected) || el.options[0];
      return el.value !== (initial ? initial.value : "");
    }
    return el.value !== el.defaultValue;
  }

  function putBack(el, value) {
    if (el.type === "checkbox" || el.type === "radio") el.checked = value === true;
    else if (el.tagName === "SELECT" && el.multiple && Array.isArray(value)) {
      for (const option of el.options) option.selected = value.includes(option.value);
    } else if (el.tagName === "SELECT") {
      if (Array.from(el.options).some((o) => o.value === value)) el.value = value;
    } else if (typeof value === "string") el.value = value;
  }

  // The page's forms that send something: post forms, and the forms a script sends to their
  // data-action (or data-action-base). Each with its key: the page, where the form sends, and
  // which of the forms sending there it is (a row's form among its siblings).
  function sendingForms() {
    const seen = new Map();
    return Array.from(document.forms)
      .filter((form) => (form.getAttribute("method") || "").toLowerCase() === "post" || form.dataset.action || form.dataset.actionBase)
      .map((form) => {
        const target = form.dataset.action || form.dataset.actionBase || form.getAttribute("action") || window.location.href;
        const url = new URL(target, window.location.href);
        const action = url.pathname + url.search;
        const n = seen.get(action) || 0;
        seen.set(action, n + 1);
        return { form, key: `${window.location.pathname} ${action} ${n}` };
      });
  }

  // Keeps what was typed into these forms (entries of sendingForms) as this page's drafts, in
  // place of any kept before for the page (the last one sent is what he means); true if any.
  function keep(entries) {
    const typed = entries
      .map(({ form, key }) => {
        const fields = keptFields(form);
        const keys = fieldKeys(fields);
        const values = fields.map((el, i) => [keys[i], el]).filter(([, el]) => changed(el));
        return [key, Object.fromEntries(values.map(([k, el]) => [k, valueOf(el)]))];
      })
      .filter(([, values]) => Object.keys(values).length);
    if (!typed.length) return false; // nothing typed: nothing to lose
    const state = load();
    state.drafts = state.drafts || {};
    for (const [key, draft] of Object.entries(state.drafts)) {
      if (draft && draft.page === window.location.pathname) delete state.drafts[key];
    }
    for (const [key, values] of typed) {
      state.drafts[key] = { page: window.location.pathname, at: Date.now(), who: who(), values };
    }
    save(state);
    return true;
  }

  function showNote(form) {
    const note = document.createElement("p");
    note.className = "warning typed-kept";
    note.setAttribute("role", "status");
    note.textContent = NOTE;
    form.before(note);
    for (let d = form.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    note.scrollIntoView({ block: "center" });
  }

  const isLoginPage = !!document.querySelector("form.login");

  // 1. a form is sent (on window, last: a handler that stopped the sending has had its say; a
  // script that sends it itself calls keep and signIn when the session has ended)
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (isLoginPage || !(form instanceof HTMLFormElement)) return;
    const note = form.previousElementSibling;
    if (note && note.classList.contains("typed-kept")) note.remove(); // checked and sent again (by the page or a script)
    if (event.defaultPrevented) return;
    const entry = sendingForms().find((f) => f.form === form);
    if (entry) keep([entry]);
  });

  window.siagaTypedKept = {
    /** True when a script's request was answered that the session ended: 401 (the API, a part
     * htmx asked for), or the login page the console sends a signed-out browser to. */
    ended(response) {
      if (response.status === 401) return true;
      return response.redirected && new URL(response.url, window.location.href).pathname === LOGIN;
    },
    /** Keeps what was typed into the page's forms (the session has ended, and a script sends
     * or refreshes something); true if there was anything. */
    keep() {
      return keep(sendingForms());
    },
    /** Goes to the login page, which brings this page back after signing in, with what keep()
     * kept. */
    signIn() {
      const next = window.location.pathname + window.location.search;
      window.location.assign(`${LOGIN}?next=${encodeURIComponent(next)}&sent=1`);
    },
  };

  const state = load();
  const now = Date.now();
  const drafts = Object.entries(state.drafts || {}).filter(([, d]) => d && now - d.at < MAX_AGE_MS);
  state.drafts = Object.fromEntries(drafts);
  if (state.pending && !(now - state.pending.at < MAX_AGE_MS)) delete state.pending;

  if (isLoginPage) {
    // 2. sent here by a form (or a script) that found the session ended: its page gets the values back next
    const params = new URLSearchParams(window.location.search);
    if (params.get("sent") === "1" && params.get("next")) {
      state.pending = { page: new URL(params.get("next"), window.location.href).pathname, at: now };
    }
    save(state);
    return;
  }

  // 3. the page after the login: put the values back; any other load drops them
  const pending = state.pending;
  delete state.pending;
  const here = window.location.pathname;
  const restoring = pending && pending.page === here;
  const me = who();
  for (const { form, key } of sendingForms()) {
    const draft = state.drafts[key];
    if (!restoring || !draft || draft.who !== me) continue;
    const fields = keptFields(form);
    const keys = fieldKeys(fields);
    fields.forEach((el, i) => {
      if (Object.prototype.hasOwnProperty.call(draft.values, keys[i])) putBack(el, draft.values[keys[i]]);
    });
    if (NOTE) showNote(form);
  }
  for (const [key, draft] of drafts) if (draft.page === here) delete state.drafts[key];
  save(state);
})();
