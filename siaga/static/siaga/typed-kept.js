/* What a console user typed into a form he sent after his session ended comes back after he
 * signs in again. Loaded once by base.html; its <script> carries the note to show
 * (data-note, translated by the server).
 *
 *   1. A console form (method=post) is sent: the values of its fields that he changed are kept
 *      in this tab's sessionStorage, keyed by the page's path and the form's action. Not kept:
 *      passwords, files, the CSRF token, hidden and read-only fields (the server sets those),
 *      buttons, and fields left as the server filled them (they show what is saved now).
 *   2. The session had ended, so the server sends the browser to the login page with
 *      `next=<the page>&sent=1` (siaga/accounts/middleware.py). On that page this file notes
 *      that the page `next` should get its kept values back.
 *   3. After signing in, the user lands on that page: the values go back into the same fields
 *      and a note at the form says they are not saved yet, to check and send again.
 *
 * Any other load of a page (the form was saved, a fresh visit, another user) drops the values
 * kept for it, so an old draft never reappears by surprise; values older than MAX_AGE_MS are
 * dropped on every page. Nothing is sent anywhere: the values stay in this tab.
 */
(() => {
  "use strict";

  const STORE = "siaga-typed-kept";
  const MAX_AGE_MS = 3 * 60 * 60 * 1000; // three hours: a draft older than a shift is not his now
  const SKIPPED_TYPES = new Set(["password", "file", "hidden", "submit", "button", "reset", "image"]);
  const NOTE = (document.currentScript && document.currentScript.dataset.note) || "";

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

  // The page's post forms, each with its key: its action, and which of the forms with that
  // action it is (a row's form among its siblings).
  function postForms() {
    const seen = new Map();
    return Array.from(document.forms)
      .filter((form) => (form.getAttribute("method") || "").toLowerCase() === "post")
      .map((form) => {
        const url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
        const action = url.pathname + url.search;
        const n = seen.get(action) || 0;
        seen.set(action, n + 1);
        return { form, key: `${window.location.pathname} ${action} ${n}` };
      });
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

  // 1. a form is sent (on window, last: a handler that stopped the sending has had its say)
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (isLoginPage || event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    const entry = postForms().find((f) => f.form === form);
    if (!entry) return;
    const fields = keptFields(form);
    const keys = fieldKeys(fields);
    const typed = fields.map((el, i) => [keys[i], el]).filter(([, el]) => changed(el));
    if (!typed.length) return; // nothing typed: nothing to lose
    const state = load();
    state.drafts = state.drafts || {};
    for (const [key, draft] of Object.entries(state.drafts)) {
      if (draft && draft.page === window.location.pathname) delete state.drafts[key]; // the last one sent is what he means
    }
    state.drafts[entry.key] = {
      page: window.location.pathname,
      at: Date.now(),
      who: who(),
      values: Object.fromEntries(typed.map(([key, el]) => [key, valueOf(el)])),
    };
    save(state);
  });

  const state = load();
  const now = Date.now();
  const drafts = Object.entries(state.drafts || {}).filter(([, d]) => d && now - d.at < MAX_AGE_MS);
  state.drafts = Object.fromEntries(drafts);
  if (state.pending && !(now - state.pending.at < MAX_AGE_MS)) delete state.pending;

  if (isLoginPage) {
    // 2. sent here by a form sent without a session: its page gets the values back next
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
  for (const { form, key } of postForms()) {
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
