/* The field's writes from the browser: the post leader's phone page (status, TPS timeline,
 * incidents, escort runs and the buku mutasi) and the buttons of the incident page (escalate, dispatch, close).
 *
 * Every write is one action with one Idempotency-Key, made once (crypto.randomUUID) when the
 * action is taken. On the phone page each action goes into the queue in IndexedDB first
 * (queue.js) and is sent from there: while offline it stays queued (and is shown, through a
 * reload or a killed tab), and it is sent again on the window's 'online' event and by a retry
 * timer, always with the same key, so the server stores it once however often it is retried.
 * The page registers the service worker (/sw.js) that keeps it, and its assets, for a reload
 * without signal.
 *
 * "Pos saya" offers the vote's posts and the roster's duties (escort, guard, office); each shows
 * only what it can report. The status shown follows the last press still queued; "Terkirim"
 * lists each action under the time it was made. An escort leg's departure or arrival button
 * shows its "✓ time" at once: waiting to be sent while queued, then the time the server keeps
 * (the leg's first departure or arrival, as the page shows it after a reload).
 */
(() => {
  "use strict";

  const uuid = () => {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  const send = (url, body, key, csrf) =>
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key, "X-CSRFToken": csrf },
      body: body === null || body === undefined ? "" : JSON.stringify(body),
    });

  // A queued photo (a Blob) as the multipart upload the API takes.
  const sendPhoto = (url, photo, key, csrf) => {
    const form = new FormData();
    form.append("photo", photo, photo.type === "image/png" ? "foto.png" : "foto.jpg");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Idempotency-Key": key, "X-CSRFToken": csrf },
      body: form,
    });
  };

  // A photo made smaller for a weak signal: at most 1600 px, JPEG quality 0.8; the file itself
  // when the browser cannot redraw it (the server still takes JPEG or PNG up to 5 MB).
  const PHOTO_MAX_PX = 1600;
  const shrink = (file) =>
    new Promise((resolve) => {
      if (!file) return resolve(null);
      const img = new Image();
      const src = URL.createObjectURL(file);
      img.onload = () => {
        URL.revokeObjectURL(src);
        const scale = Math.min(1, PHOTO_MAX_PX / Math.max(img.naturalWidth, img.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        canvas.toBlob((blob) => resolve(blob || file), "image/jpeg", 0.8);
      };
      img.onerror = () => {
        URL.revokeObjectURL(src);
        resolve(file);
      };
      img.src = src;
    });

  // A response that is worth sending again later (the server or the session is not there).
  const transient = (status) => status >= 500 || status === 401 || status === 408 || status === 429;

  const detail = async (response) => {
    try {
      const data = await response.json();
      return typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail);
    } catch (e) {
      return String(response.status);
    }
  };

  // ---------------------------------------------------------------- the incident page

  const incidents = document.getElementById("incidents");
  if (incidents) {
    const message = document.getElementById("action-message");
    incidents.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-action]");
      if (!button || button.disabled) return;
      button.dataset.key = button.dataset.key || uuid(); // a second click retries the same action
      button.disabled = true;
      const body = button.dataset.body ? JSON.parse(button.dataset.body) : null;
      try {
        const response = await send(button.dataset.action, body, button.dataset.key, incidents.dataset.csrf);
        if (!response.ok) message.textContent = `${incidents.dataset.failed} ${await detail(response)}`;
        else message.textContent = "";
      } catch (e) {
        message.textContent = `${incidents.dataset.failed} ${e}`;
        button.disabled = false;
        return;
      }
      if (window.htmx) window.htmx.trigger(incidents, "refresh");
    });
  }

  // ---------------------------------------------------------------- the phone page

  const root = document.getElementById("phone");
  if (!root) return;
  const text = JSON.parse(document.getElementById("phone-text").textContent);
  const tpsByPost = JSON.parse(document.getElementById("tps-by-post").textContent);
  const tpsNames = JSON.parse(document.getElementById("tps-names").textContent);
  const api = root.dataset.api.replace(/\/$/, "");
  const plan = root.dataset.plan;
  // the CSRF token as the cookie holds it now: signing in again (in this tab or another) renews
  // it, and a queued report sent with the page's old token would be refused and lost
  const csrfNow = () => (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || root.dataset.csrf;
  let signedOut = false; // the session ended: reports wait in the queue until he signs in again
  const queue = window.SiagaQueue;
  const $ = (id) => document.getElementById(id);
  const postSelect = $("post");
  const POST = `siaga.field.post.${plan}`;
  const OLD_QUEUE = `siaga.field.queue.${plan}`; // the queue's former home (localStorage)

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: "/" }).catch(() => undefined);
  }

  const lang = document.documentElement.lang || "id";
  const time = (iso) => new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  // a distance as the reader writes numbers (5,482 km in Indonesian, 5.482 km in English), as the board does
  const km = (value) => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(Number(value));
  const PHOTO_TYPES = /^image\/(jpeg|png)$/;
  const postName = (post) => {
    const option = Array.from(postSelect.options).find((o) => o.value === post);
    return option ? option.dataset.name : "";
  };
  const tpsName = (code) => tpsNames[code] || text.tps;

  const render = async () => {
    const items = await queue.all().catch(() => []);
    $("queue-count").textContent = String(items.length);
    $("queue-box").classList.toggle("empty", items.length === 0);
    $("queue-jump").hidden = items.length === 0;
    $("queue-jump-count").textContent = String(items.length);
    $("queue-list").replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.dataset.key = item.key;
        li.textContent = `${time(item.at)} · ${item.label}${item.kind === "incident" && item.photo ? ` + ${text.photo}` : ""}`;
        return li;
      }),
    );
    // the status shown follows the last press still waiting in the queue (marked as waiting)
    const waiting = {};
    for (const item of items) {
      if (item.kind === "status") waiting[item.post] = { status: item.body.status, label: item.statusLabel };
      else if (item.kind === "custody" && item.duty && item.stateText) waiting[`duty:${item.duty}`] = { label: item.stateText };
    }
    showTicks(items);
    for (const option of postSelect.options) {
      const w = waiting[option.value];
      option.dataset.pending = w ? w.label : "";
      option.dataset.pendingStatus = w && w.status ? w.status : "";
    }
    showStatus();
    const net = $("net");
    net.textContent = signedOut ? text.signedOut : navigator.onLine ? text.online : text.offline;
    net.className = navigator.onLine && !signedOut ? "online" : "offline";
    $("relogin").hidden = !signedOut;
  };

  // a line of "Terkirim" under the time the action was made (`at`: kept in the queue while
  // offline, as the server keeps it)
  const log = (line, at) => {
    const li = document.createElement("li");
    li.textContent = `${time(at || new Date().toISOString())} · ${line}`;
    $("log").prepend(li);
  };
  // "terkirim", with the time it went when that was later than when it was made
  const sentWord = (at) => {
    const now = new Date().toISOString();
    return at && Date.parse(now) - Date.parse(at) >= 5000 ? `${text.sent} ${time(now)}` : text.sent;
  };

  const selected = () => postSelect.selectedOptions[0] || null;
  const isDuty = (option) => !!option && !!option.dataset.duty;

  const showStatus = () => {
    const option = selected();
    const pending = option && option.dataset.pending;
    $("current-status").textContent = option ? (pending ? `${pending} (${text.pending})` : option.dataset.label) : "";
    const shown = option && (option.dataset.pendingStatus || option.dataset.status);
    document.querySelectorAll("#status-buttons button").forEach((b) => {
      b.classList.toggle("current", !!option && b.dataset.status === shown);
      b.classList.toggle("pending", !!option && !!option.dataset.pendingStatus && b.dataset.status === shown);
    });
  };

  // What the chosen post or duty can report: a post of the vote its status, its TPS's stages and
  // incidents at it or its TPS; an escort its legs, a guard its buku mutasi, any duty incidents
  // at its place. What cannot apply is not shown.
  const showPlace = () => {
    const option = selected();
    const duty = isDuty(option);
    const group = duty ? option.dataset.group : "";
    $("status-field").hidden = !option || duty;
    $("status-line").hidden = !option || (duty && group !== "escort");
    $("duty-when").hidden = !duty;
    $("duty-when").textContent = duty ? option.dataset.when : "";
    document.querySelectorAll(".duty-actions").forEach((box) => {
      box.hidden = !option || box.dataset.for !== option.value;
    });
    $("tps-section").hidden = !(tpsByPost[postSelect.value] || []).length;
    $("incident-tps-field").hidden = duty;
    $("incident-duty-field").hidden = !duty;
    if (duty) {
      const legs = option.dataset.legs ? option.dataset.legs.split("|") : [];
      $("incident-leg").replaceChildren(
        ...(legs.length ? legs.map((leg, i) => new Option(leg, String(i))) : [new Option(option.dataset.name, "")]),
      );
    }
    $("incident").hidden = !option;
    showStatus();
  };

  // What comes after an item the server has taken: a report's photo, under the key made with the report.
  const followUp = (item, data) =>
    item.kind === "incident" && item.photo && data && data.id
      ? {
          key: item.photoKey,
          at: new Date().toISOString(),
          kind: "photo",
          label: `${text.photo} #${data.id}`,
          url: `${api}/incidents/${data.id}/photo`,
          photo: item.photo,
        }
      : null;

  const sent = (item, data) => {
    if (item.kind === "status") {
      const option = Array.from(postSelect.options).find((o) => o.value === item.post);
      if (option) {
        option.dataset.status = data.status;
        option.dataset.label = item.statusLabel;
      }
      showStatus();
      const far = data.flagged && data.distance_km !== null && data.distance_km !== undefined;
      log(`${item.label} — ${sentWord(item.at)}${far ? ` (${text.flagged}: ${km(data.distance_km)} km)` : ""}`, item.at);
    } else {
      log(`${item.label} — ${sentWord(item.at)}`, item.at);
    }
    if (item.kind === "custody") custodySent(item, data);
    // taken by the server: "Laporan kejadian saya" (report_status.js) reads its state now
    document.dispatchEvent(new CustomEvent("siaga:sent", { detail: { kind: item.kind } }));
  };

  // ---------------------------------------------------------------- escorts and buku mutasi
  // Forms and buttons with data-queue-url (templates/field/_custody_phone.html) go through the
  // same queue, each with the time it was made (`at`), so an arrival recorded offline keeps its
  // time. A form keeps what was typed until the server has taken it; a refusal is shown in it.

  // An escort leg's buttons (the duty's on top and its section's below) by what they record:
  // the run's URL, departure or arrival, and the leg. Each keeps the time already recorded
  // (data-done-at, from the server's .tick) and shows the press still queued, if any, instead.
  const tz = root.dataset.tz || undefined;
  const hourMinute = (iso) => {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(new Date(iso));
    const part = (type) => (parts.find((p) => p.type === type) || {}).value || "";
    return `${part("hour")}.${part("minute")}`; // as the server writes it ("H.i")
  };
  const legKey = (url, body) =>
    body && (body.kind === "berangkat" || body.kind === "tiba") ? `${url}|${body.kind}|${Number(body.leg || 0)}` : "";
  const legButtons = Array.from(document.querySelectorAll("button[data-queue-url][data-body]")).filter((button) => {
    button.dataset.leg = legKey(button.dataset.queueUrl, JSON.parse(button.dataset.body || "{}"));
    const tick = button.querySelector(".tick");
    if (tick && tick.dataset.at) button.dataset.doneAt = tick.dataset.at;
    return !!button.dataset.leg;
  });
  const showTicks = (items) => {
    const queued = {};
    for (const item of items) {
      const key = item.kind === "custody" ? legKey(item.url, item.body) : "";
      if (key) queued[key] = item.body.at || item.at; // the last press still waiting
    }
    for (const button of legButtons) {
      const waiting = queued[button.dataset.leg];
      const at = waiting || button.dataset.doneAt;
      let tick = button.querySelector(".tick");
      button.classList.toggle("pending", !!waiting);
      if (!at) {
        if (tick) tick.remove();
        continue;
      }
      if (!tick) {
        button.append(" ");
        tick = document.createElement("span");
        tick.className = "tick";
        button.append(tick);
      }
      tick.textContent = waiting ? `✓ ${hourMinute(at)} (${text.pending})` : `✓ ${hourMinute(at)}`;
    }
  };
  // taken by the server: the leg's first time of that kind (a second press keeps the first)
  const legDone = (item, data) => {
    const key = legKey(item.url, item.body);
    const at = (data && data.at) || item.body.at;
    if (!key || !at) return;
    for (const button of legButtons) {
      if (button.dataset.leg !== key) continue;
      const before = button.dataset.doneAt;
      if (!before || Date.parse(at) < Date.parse(before)) button.dataset.doneAt = at;
    }
  };

  const custodySent = (item, data) => {
    legDone(item, data);
    if (item.stateTarget && $(item.stateTarget)) $(item.stateTarget).textContent = item.stateText;
    const option = item.duty && Array.from(postSelect.options).find((o) => o.value === `duty:${item.duty}`);
    if (option && item.stateText) option.dataset.label = item.stateText;
    const flag = item.stateTarget && item.body.kind === "tiba" && $(`${item.stateTarget}-flag`);
    if (flag) flag.hidden = true; // arrived: no longer missing
    const form = item.form && $(item.form);
    if (form && form.tagName === "FORM" && !form.classList.contains("manifest-form")) form.reset();
    const summary = form && form.classList.contains("manifest-form") && form.closest("details");
    const line = summary && summary.querySelector("summary.manifest-summary");
    if (line) {
      // the manifest the server took, in the summary's own words (as a reload shows it)
      const counts = { b: "ballot_boxes", k: "booths", s: "seals", e: "envelopes" };
      const said = line.dataset.format.replace(/\{([bkse])\}/g, (_, k) => String(Number(item.body[counts[k]]) || 0));
      line.textContent = `${line.dataset.title}: ${said}`;
    }
    const error = form && form.querySelector(".form-error");
    if (error) error.hidden = true;
  };

  const custodyRefused = (item, message) => {
    const form = item.form && $(item.form);
    const error = form && form.querySelector(".form-error");
    if (error) {
      error.textContent = message;
      error.hidden = false;
    }
  };

  const formBody = (form) => {
    const body = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") body[el.name] = el.checked;
      else if (el.name === "end") {
        const [leg, end] = el.value.split(":");
        body.leg = Number(leg);
        body.end = end;
      } else body[el.name] = el.value;
    }
    return body;
  };

  let formIds = 0;
  document.querySelectorAll("form[data-queue-url]").forEach((form) => {
    form.id = form.id || `custody-form-${++formIds}`;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      enqueue({
        kind: "custody",
        form: form.id,
        label: form.dataset.label,
        url: form.dataset.queueUrl,
        body: { ...formBody(form), at: new Date().toISOString() },
      });
    });
  });
  document.querySelectorAll("button[data-queue-url]").forEach((button) => {
    button.addEventListener("click", () =>
      enqueue({
        kind: "custody",
        label: button.dataset.label,
        stateTarget: button.dataset.stateTarget,
        stateText: button.dataset.stateText,
        duty: (button.closest("[data-duty]") || button).dataset.duty, // its escort: the status shown follows it
        url: button.dataset.queueUrl,
        body: { ...JSON.parse(button.dataset.body || "{}"), at: new Date().toISOString() },
      }),
    );
  });

  // Send the queue, oldest first, one sender at a time (in any tab). An item leaves the queue
  // only once the server has answered it: taken, or refused for good (a 4xx other than 401,
  // 408 and 429); without network or with a server error it stays, to go again with its key.
  const flush = () =>
    queue
      .exclusive(async () => {
        for (;;) {
          const items = await queue.all();
          if (!items.length || !navigator.onLine) break;
          const item = items[0];
          let response;
          try {
            response =
              item.kind === "photo"
                ? await sendPhoto(item.url, item.photo, item.key, csrfNow())
                : await send(item.url, item.body, item.key, csrfNow());
          } catch (e) {
            break; // no network: kept, sent again later with the same key
          }
          signedOut = response.status === 401;
          if (transient(response.status)) break;
          const data = response.ok ? await response.json().catch(() => ({})) : null;
          await queue.settle(item.key, response.ok ? followUp(item, data) : null);
          if (response.ok) sent(item, data);
          else {
            const why = await detail(response);
            log(`${item.label} — ${text.refused}: ${why}${item.kind === "photo" ? ` ${text.photoAgain}` : ""}`, item.at);
            if (item.kind === "custody") custodyRefused(item, why);
          }
          await render();
        }
      })
      .catch(() => undefined)
      .finally(render);

  const enqueue = async (item) => {
    await queue.add({ key: uuid(), at: new Date().toISOString(), ...item });
    await render();
    flush();
  };

  const position = () =>
    new Promise((resolve) => {
      if (!navigator.geolocation) return resolve(null);
      const timer = setTimeout(() => resolve(null), 3000);
      navigator.geolocation.getCurrentPosition(
        (p) => {
          clearTimeout(timer);
          resolve({ lat: p.coords.latitude, lon: p.coords.longitude });
        },
        () => {
          clearTimeout(timer);
          resolve(null);
        },
        { timeout: 2500, maximumAge: 60000, enableHighAccuracy: true },
      );
    });

  const fillTps = () => {
    const codes = tpsByPost[postSelect.value] || [];
    const options = (withEmpty) => [
      ...(withEmpty ? [new Option(text.atPost, "")] : []),
      ...codes.map((c) => new Option(tpsName(c), c)),
    ];
    $("tps").replaceChildren(...options(false));
    $("incident-tps").replaceChildren(...options(true));
  };

  const remembered = localStorage.getItem(POST);
  if (remembered && Array.from(postSelect.options).some((o) => o.value === remembered)) postSelect.value = remembered;
  else if (!Array.from(postSelect.options).some((o) => o.dataset.status)) {
    // no post at the vote here: his duty under way, else the next one
    const due = Array.from(postSelect.options).find((o) => o.dataset.state === "now" || o.dataset.state === "next");
    if (due) postSelect.value = due.value;
  }
  postSelect.addEventListener("change", () => {
    localStorage.setItem(POST, postSelect.value);
    fillTps();
    showPlace();
  });

  $("status-buttons").addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-status]");
    if (!button || !postSelect.value || isDuty(selected())) return;
    const post = postSelect.value;
    const key = uuid(); // made once, for this action, before anything can fail
    const at = new Date().toISOString();
    button.disabled = true;
    const where = await position();
    button.disabled = false;
    enqueue({
      key,
      at,
      kind: "status",
      post,
      statusLabel: button.dataset.label,
      label: `${text.status} ${postName(post)}: ${button.dataset.label}`,
      url: `${api}/plans/${plan}/posts/${encodeURIComponent(post)}/status`,
      body: { status: button.dataset.status, ...(where || {}), at }, // the time it was made, kept if sent later
    });
  });

  $("tps-buttons").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-kind]");
    const tps = $("tps").value;
    if (!button || !tps) return;
    enqueue({
      kind: "tps",
      label: `${tpsName(tps)}: ${button.dataset.label}`,
      url: `${api}/plans/${plan}/tps/${encodeURIComponent(tps)}/events`,
      body: { kind: button.dataset.kind, at: new Date().toISOString() },
    });
  });

  // A picked photo as it will be sent (made smaller), or null with the reason said at once: the
  // server takes JPEG or PNG only (any picture the phone can draw is redrawn as a JPEG).
  const readyPhoto = async (file) => {
    if (!file) return null;
    const photo = await shrink(file);
    if (PHOTO_TYPES.test(photo.type)) return photo;
    log(`${text.photo} — ${text.refused}: ${text.notPhoto} ${text.photoAgain}`);
    return null;
  };

  $("incident-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const option = selected();
    const duty = isDuty(option) ? option.dataset.duty : "";
    const tps = duty ? "" : form.tps_code.value;
    const kindLabel = form.kind.selectedOptions[0].textContent;
    const at = new Date().toISOString();
    const file = form.photo && form.photo.files[0];
    if (form.photo) form.photo.value = "";
    const description = form.description.value;
    form.description.value = "";
    const photo = await readyPhoto(file);
    const leg = duty ? form.leg.value : "";
    const where = duty ? (leg ? form.leg.selectedOptions[0].textContent : option.dataset.name) : tps ? tpsName(tps) : postName(postSelect.value);
    await enqueue({
      ...(photo ? { photo, photoKey: uuid() } : {}),
      at,
      kind: "incident",
      label: `${text.incident}: ${kindLabel} (${where})`,
      url: `${api}/plans/${plan}/incidents`,
      body: {
        kind: form.kind.value,
        severity: Number(form.severity.value),
        tps_code: tps,
        post_id: duty || tps ? "" : postSelect.value,
        ...(duty ? { duty_id: duty, ...(leg ? { leg: Number(leg) } : {}) } : {}),
        description,
        at,
      },
    });
  });

  // A photo for one of his own reports after it was sent ("Laporan kejadian saya"): through the
  // same queue, under a key of its own.
  const attach = $("attach-photo-input");
  $("report-status").addEventListener("click", (event) => {
    const button = event.target.closest("button.attach-photo");
    if (!button || !attach) return;
    attach.dataset.url = button.dataset.url;
    attach.dataset.label = button.dataset.label;
    attach.value = "";
    attach.click();
  });
  if (attach)
    attach.addEventListener("change", async () => {
      const photo = await readyPhoto(attach.files[0]);
      attach.value = "";
      if (photo) enqueue({ kind: "photo", label: attach.dataset.label, url: attach.dataset.url, photo });
    });

  // "Laporkan kejadian" at the top: to the form, ready to choose the kind.
  $("report-jump").addEventListener("click", () => setTimeout(() => $("incident-kind").focus(), 0));

  $("queue-retry").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  setInterval(flush, 5000);
  fillTps();
  showPlace();
  queue
    .adopt(OLD_QUEUE)
    .catch(() => undefined)
    .then(render)
    .then(flush);
})();
