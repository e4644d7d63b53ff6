/* The Posko's pages (incidents, live dashboard, board): their buttons and forms, and the alert
 * on a new severe incident.
 *
 * A button with data-action posts its data-body (JSON); a form with data-action posts its
 * fields (a form with data-action-base posts to that base plus its `code` field). Every write
 * has one Idempotency-Key, made when the action is first taken and kept for a retry. A form
 * with data-confirm-step asks once more before it is sent (closing an incident). While a form
 * of the incident list is open or being typed in, the list's polling waits (poskoIdle); a
 * swap that still comes (the list refreshed after another action) keeps such a form as it was:
 * open, what was typed, its confirmation step, its key and the cursor.
 *
 * A refusal (the server's own words, in the user's language) is shown beside the button or form
 * that caused it, read out once (role="alert"), and put back there after each swap until the
 * next action; in its card when the control is gone, at the top (#action-message) when the card
 * is gone too.
 *
 * A write answered that the session ended (401) takes the user to the login page; what was
 * typed into the page's forms comes back after it (typed-kept.js).
 *
 * The alert: each polled part carries #severe-marker (the newest open severe incident); when
 * it grows the page shows #severe-alert, beeps and flashes its title until acknowledged.
 */
(() => {
  "use strict";

  const uuid = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const holder = document.getElementById("incidents") || document.getElementById("board");
  const csrf = holder ? holder.dataset.csrf : "";
  const failed = holder ? holder.dataset.failed : "";
  const message = document.getElementById("action-message");
  const say = (text) => {
    if (message) message.textContent = text;
  };

  // a control found again after a swap: the same action (and body) means the same button or form
  const controlKey = (el) =>
    el.tagName === "FORM" ? `form ${el.dataset.action || el.dataset.actionBase}` : `button ${el.dataset.action} ${el.dataset.body || ""}`;
  const findControl = (key) =>
    Array.from(document.querySelectorAll("button[data-action], form[data-action], form[data-action-base]")).find(
      (el) => controlKey(el) === key,
    );

  let refusal = null; // {text, control (its key), card (its id)}: shown until the next action
  let done = ""; // what the last form did (its data-done): said until the next action
  const showRefusal = (announce) => {
    document.querySelectorAll("p.action-error").forEach((el) => el.remove());
    if (!refusal) return say(done);
    const control = findControl(refusal.control);
    const card = refusal.card ? document.getElementById(refusal.card) : null;
    if (!control && !card) return say(refusal.text);
    const box = document.createElement("p");
    box.className = "action-error flag";
    box.textContent = refusal.text;
    if (announce) box.setAttribute("role", "alert"); // read out once, not again at each swap
    if (control && control.tagName === "FORM") control.append(box);
    else if (control) {
      const row = control.closest(".actions, li");
      if (row && row.classList.contains("actions")) row.after(box);
      else (row || control.parentElement).append(box);
    } else card.firstElementChild.after(box);
    say("");
  };
  const refuse = (origin, text) => {
    done = "";
    const card = origin && origin.closest("article.incident");
    refusal = text ? { text, control: origin ? controlKey(origin) : "", card: card ? card.id : "" } : null;
    showRefusal(true);
  };

  const detail = async (response) => {
    try {
      const data = await response.json();
      return typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    } catch (e) {
      return String(response.status);
    }
  };

  const send = async (url, body, key, origin) => {
    refuse(null, ""); // the next action: the last refusal goes
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key, "X-CSRFToken": csrf },
        body: body === null || body === undefined ? "" : JSON.stringify(body),
      });
      const kept = window.siagaTypedKept;
      if (kept && kept.ended(response)) {
        // the session ended: what was typed into the page's forms waits for the login (typed-kept.js)
        kept.keep();
        kept.signIn();
        return false;
      }
      if (!response.ok) {
        refuse(origin, `${failed} ${await detail(response)}`);
        // 409: the key went with another request (the form was changed after a lost answer);
        // the next send is a new request with a new key
        return response.status === 409 ? "conflict" : false;
      }
      return true;
    } catch (e) {
      refuse(origin, `${failed} ${e}`);
      return false;
    }
  };

  const refresh = () => {
    if (window.htmx && holder) window.htmx.trigger(holder, "refresh");
  };

  // ------------------------------------------------------------------ buttons and forms

  document.addEventListener("click", async (event) => {
    const cancel = event.target.closest(".confirm-step .cancel");
    if (cancel) {
      const form = cancel.closest("form");
      form.querySelector(".confirm-step").hidden = true;
      form.querySelector(".ask").hidden = false;
      return;
    }
    const button = event.target.closest("button[data-action]");
    if (!button || button.disabled) return;
    button.dataset.key = button.dataset.key || uuid(); // a second click retries the same action
    button.disabled = true;
    const ok = await send(button.dataset.action, button.dataset.body ? JSON.parse(button.dataset.body) : null, button.dataset.key, button);
    if (ok !== true) button.disabled = false;
    if (ok === "conflict") delete button.dataset.key;
    if (ok === true && button.closest("#delegation")) window.location.reload();
    refresh();
  });

  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-action], form[data-action-base]");
    if (!form) return;
    event.preventDefault();
    const confirmed = event.submitter && event.submitter.dataset.confirm === "yes";
    if (form.dataset.confirmStep && !confirmed) {
      if (!form.reportValidity()) return;
      form.querySelector(".confirm-step").hidden = false;
      form.querySelector(".ask").hidden = true;
      return;
    }
    const body = Object.fromEntries(new FormData(form).entries());
    let url = form.dataset.action;
    if (form.dataset.actionBase) {
      url = form.dataset.actionBase + encodeURIComponent(body.code);
      delete body.code;
    }
    if (form.dataset.confirmStep) body.confirmed = true;
    form.dataset.key = form.dataset.key || uuid();
    const sent = await send(url, body, form.dataset.key, form);
    if (sent === "conflict") delete form.dataset.key;
    if (sent === true) {
      delete form.dataset.key;
      // a form with data-done says what was done, with the choices it was sent with
      const chosen = Array.from(form.querySelectorAll("select"), (s) => (s.selectedOptions[0] || {}).text || "");
      if (form.dataset.done) say((done = `${form.dataset.done} ${chosen.filter(Boolean).join(" · ")}`));
      form.reset();
      const details = form.closest("details");
      if (details) details.open = false;
      if (form.dataset.confirmStep) {
        form.querySelector(".confirm-step").hidden = true;
        form.querySelector(".ask").hidden = false;
      }
      refresh();
    }
  });

  // the incident list waits while a form in it is open or typed in: its polls (htmx "every",
  // which carry no triggering event) are skipped then; an explicit "refresh" still goes. Done
  // here, not in an hx-trigger filter, because the CSP lets htmx evaluate no script.
  window.poskoIdle = () => {
    const list = document.getElementById("incidents");
    if (!list) return true;
    if (list.querySelector("details.form[open]")) return false;
    const active = document.activeElement;
    return !(active && list.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
  };
  document.addEventListener("htmx:confirm", (event) => {
    const polled = event.detail && !event.detail.triggeringEvent;
    if (polled && event.target.closest("[data-poll-when-idle]") && !window.poskoIdle()) event.preventDefault();
  });
  // a poll already on its way when a form was opened: its answer is not swapped in either (the
  // open form would vanish under the hand); the next poll after the form closes brings it
  document.addEventListener("htmx:beforeSwap", (event) => {
    const config = event.detail && event.detail.requestConfig;
    const polled = config && !config.triggeringEvent;
    if (polled && event.target.closest("[data-poll-when-idle]") && !window.poskoIdle()) event.detail.shouldSwap = false;
  });

  // a swap that comes while a form is open (an explicit refresh after another action) puts the
  // form back as it was; and the refusal beside its control
  const swapped = (event) => ["incidents", "board"].includes(event.target.id);
  let kept = [];
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!swapped(event)) return;
    const active = document.activeElement;
    kept = Array.from(event.target.querySelectorAll("form[data-action], form[data-action-base]"))
      .filter((form) => {
        const details = form.closest("details");
        return (details && details.open) || form.contains(active);
      })
      .map((form) => {
        const step = form.querySelector(".confirm-step");
        const focus = form.contains(active) && active.name ? active : null;
        return {
          control: controlKey(form),
          key: form.dataset.key,
          confirming: !!step && !step.hidden,
          values: Array.from(form.elements)
            .filter((el) => el.name && el.type !== "file")
            .map((el) => [el.name, el.type === "checkbox" ? el.checked : el.value]),
          focus: focus && { name: focus.name, start: focus.selectionStart, end: focus.selectionEnd },
        };
      });
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (!swapped(event)) return;
    for (const was of kept) {
      const form = findControl(was.control);
      if (!form) continue; // the incident closed meanwhile: its forms are gone
      const details = form.closest("details");
      if (details) details.open = true;
      if (was.key) form.dataset.key = was.key;
      for (const [name, value] of was.values) {
        const el = form.elements.namedItem(name);
        if (!el || el instanceof RadioNodeList) continue;
        if (el.type === "checkbox") el.checked = value;
        else el.value = value;
      }
      const step = form.querySelector(".confirm-step");
      if (step && was.confirming) {
        step.hidden = false;
        form.querySelector(".ask").hidden = true;
      }
      const focus = was.focus && form.elements.namedItem(was.focus.name);
      if (focus && focus.focus) {
        focus.focus();
        if (was.focus.start !== null && focus.setSelectionRange) focus.setSelectionRange(was.focus.start, was.focus.end);
      }
    }
    kept = [];
    showRefusal(false);
  });

  // ------------------------------------------------------------------ the severe incident alert

  const alertBox = document.getElementById("severe-alert");
  const SEEN = "siaga-posko-severe-seen";
  const latest = () => {
    const marker = document.getElementById("severe-marker");
    return marker ? Number(marker.dataset.latest || 0) : 0;
  };
  let seen = Math.max(Number(sessionStorage.getItem(SEEN) || 0), latest());
  sessionStorage.setItem(SEEN, String(seen));
  const title = document.title;
  let flashing = null;

  const beep = () => {
    try {
      const Audio = window.AudioContext || window.webkitAudioContext;
      const context = new Audio();
      [0, 0.35, 0.7].forEach((at) => {
        const tone = context.createOscillator();
        const gain = context.createGain();
        tone.frequency.value = 880;
        gain.gain.value = 0.2;
        tone.connect(gain).connect(context.destination);
        tone.start(context.currentTime + at);
        tone.stop(context.currentTime + at + 0.2);
      });
    } catch (e) {
      /* no sound here: the banner and the title still alert */
    }
  };

  const acknowledge = () => {
    if (flashing) clearInterval(flashing);
    flashing = null;
    document.title = title;
    if (alertBox) alertBox.hidden = true;
  };

  const alarm = () => {
    if (!alertBox) return;
    alertBox.hidden = false;
    document.body.dataset.severeAlerts = String(Number(document.body.dataset.severeAlerts || 0) + 1);
    beep();
    const warn = `⚠ ${alertBox.dataset.title}`;
    document.title = `${warn} — ${title}`;
    if (flashing) clearInterval(flashing);
    let on = true;
    flashing = setInterval(() => {
      on = !on;
      document.title = on ? `${warn} — ${title}` : title;
    }, 1000);
  };

  const ok = document.getElementById("severe-alert-ok");
  if (ok) ok.addEventListener("click", acknowledge);
  document.body.addEventListener("htmx:afterSwap", () => {
    const now = latest();
    if (now > seen) {
      seen = now;
      sessionStorage.setItem(SEEN, String(seen));
      alarm();
    }
  });
})();
