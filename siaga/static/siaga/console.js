/* The console's small behaviours, loaded by base.html on every page. The Content-Security-
 * Policy (siaga/web/csp.py) runs no inline script and no onclick/onchange/onsubmit attribute, so
 * the templates say what they want with data attributes and this file does it:
 *
 *   <select data-submit-on-change>                   sends its form when changed (the language)
 *   <form data-confirm-message="Yakin?">             asks before it is sent
 *   <input type="checkbox" data-check-all="ids">     ticks every input[name=ids] like itself
 *   <button data-open-all="details.desa">            opens (data-close-all: closes) those details
 *   <input data-search="URL" list="ID">              suggestions from URL?q=typed into the datalist
 *   <input data-pick-into="UL" list="ID">            a suggestion chosen (or Enter on one) becomes an item
 *                                                    of the list UL: a hidden input of the field's name
 *                                                    and a button that removes it; <button
 *                                                    data-pick-add="FIELD"> adds the same way
 *   <div hidden data-fill-from="table.posts li" data-fill-field="ID" data-fill-scroll="ID"
 *        data-fill-focus="ID">                       a click on such an item copies its <code> into the field
 *                                                    (its data-code when the text is masked)
 *   <details id="ID" data-keep-open>                 stays as the reader left it when htmx swaps it anew
 *
 * Text from the server only ever goes in as text (textContent, option values), never as HTML.
 * Handlers sit on the document, so parts swapped in by htmx work too.
 */
(() => {
  "use strict";

  document.addEventListener("change", (event) => {
    const select = event.target.closest("[data-submit-on-change]");
    if (select && select.form) select.form.submit();
  });

  const kept = new Map(); // details[data-keep-open] id -> open, as the reader left it
  document.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (details.matches && details.matches("details[data-keep-open][id]")) kept.set(details.id, details.open);
    },
    true
  );
  document.addEventListener("htmx:afterSwap", () => {
    kept.forEach((open, id) => {
      const details = document.getElementById(id);
      if (details && details.open !== open) details.open = open;
    });
  });

  // A part that htmx refreshes (the live board, a job's progress) answered 401: the session
  // ended. Reloaded, the page goes to the login page, which says so; never a frozen, stale view.
  // What he had typed into a form of the page is kept first and comes back after the login
  // (typed-kept.js).
  document.addEventListener("htmx:responseError", (event) => {
    if (!event.detail.xhr || event.detail.xhr.status !== 401) return;
    const kept = window.siagaTypedKept;
    if (kept && kept.keep()) kept.signIn();
    else window.location.reload();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-confirm-message]");
    if (form && !window.confirm(form.dataset.confirmMessage)) event.preventDefault();
  });

  document.addEventListener("click", (event) => {
    const all = event.target.closest("input[data-check-all]");
    if (all) {
      for (const box of document.querySelectorAll("input[type=checkbox]")) {
        if (box.name === all.dataset.checkAll) box.checked = all.checked;
      }
      return;
    }
    const toggle = event.target.closest("[data-open-all], [data-close-all]");
    if (toggle) {
      const open = toggle.hasAttribute("data-open-all");
      const selector = open ? toggle.dataset.openAll : toggle.dataset.closeAll;
      document.querySelectorAll(selector).forEach((d) => (d.open = open));
      return;
    }
    for (const fill of document.querySelectorAll("[data-fill-from]")) {
      const item = event.target.closest(fill.dataset.fillFrom);
      const field = document.getElementById(fill.dataset.fillField);
      const code = item && item.querySelector("code");
      if (!code || !field) continue;
      field.value = code.dataset.code || code.textContent; // a Linmas's NIK is shown masked, kept whole here
      const target = document.getElementById(fill.dataset.fillScroll);
      if (target) target.scrollIntoView({ behavior: "smooth" });
      const focus = document.getElementById(fill.dataset.fillFocus);
      if (focus) focus.focus({ preventScroll: true });
    }
  });

  // ------------------------------------------------------------ picks into a list
  // The field's value if it is a suggestion's (or the only suggestion, when `loose`) becomes
  // an item of the list; false when there was nothing to pick.
  const pick = (field, loose) => {
    const typed = field.value.trim();
    const options = field.list ? [...field.list.options] : [];
    const option = options.find((o) => o.value === typed) || (loose && typed && options.length === 1 ? options[0] : null);
    const list = document.getElementById(field.dataset.pickInto);
    if (!option || !list) return false;
    const label = option.label || option.textContent || option.value;
    if (![...list.querySelectorAll("input")].some((i) => i.value === option.value)) {
      const item = document.createElement("li");
      const kept = document.createElement("input");
      kept.type = "hidden";
      kept.name = field.name;
      kept.value = option.value;
      const text = document.createElement("span");
      text.textContent = label;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "secondary";
      remove.dataset.pickRemove = field.id;
      remove.textContent = "×";
      remove.setAttribute("aria-label", (field.dataset.pickRemoveLabel || "×") + " " + label);
      item.append(kept, text, " ", remove);
      list.append(item);
    }
    field.value = "";
    field.focus();
    return true;
  };
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches("input[data-pick-into]")) return;
    event.preventDefault(); // Enter adds to the list; it does not send the form
    pick(event.target, true);
  });
  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-pick-add]");
    const remove = event.target.closest("[data-pick-remove]");
    const field = document.getElementById(add ? add.dataset.pickAdd : remove ? remove.dataset.pickRemove : "");
    if (add && field) pick(field, true);
    if (remove) {
      remove.closest("li").remove();
      if (field) field.focus();
    }
  });

  // ------------------------------------------------------------ suggestions while typing
  const timers = new WeakMap();
  const last = new WeakMap();
  document.addEventListener("input", (event) => {
    const field = event.target.closest("input[data-search]");
    if (!field || !field.list) return;
    // A suggestion chosen from the list (not a key typed) is picked at once.
    const chosen = !(event instanceof InputEvent) || event.inputType === "insertReplacementText";
    if (chosen && field.dataset.pickInto && pick(field, false)) return;
    clearTimeout(timers.get(field));
    timers.set(
      field,
      setTimeout(async () => {
        const typed = field.value.trim();
        if (typed.length < 2 || typed === last.get(field)) return;
        last.set(field, typed);
        const joiner = field.dataset.search.includes("?") ? "&" : "?";
        const answer = await fetch(field.dataset.search + joiner + "q=" + encodeURIComponent(typed), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!answer.ok) return;
        const people = (await answer.json()).people || [];
        field.list.replaceChildren(
          ...people.map((p) => {
            const option = document.createElement("option");
            option.value = p.value;
            option.label = p.label;
            option.textContent = p.label;
            return option;
          })
        );
      }, 200)
    );
  });
})();
