/* The field's writes from the browser: the post leader's phone page (status, TPS timeline,
 * incidents, escort runs and the buku mutasi) and the buttons of the incident page (escalate, dispatch, close).
 *
 * Every write is one action with one Idempotency-Key, made once (crypto.randomUUID) when the
 * action is taken. On the phone page each action goes into a queue in localStorage first
 * and is sent from there: while offline it stays queued (and is shown), and it is sent again
 * on the window's 'online' event and by a retry timer, always with the same key, so the
 * server stores it once however often it is retried.
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

  // A queued photo (a data URL) as the multipart upload the API takes.
  const sendPhoto = (url, dataUrl, key, csrf) => {
    const [head, b64] = dataUrl.split(",", 2);
    const type = (head.match(/^data:([^;]+)/) || [])[1] || "image/jpeg";
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const form = new FormData();
    form.append("photo", new Blob([bytes], { type }), type === "image/png" ? "foto.png" : "foto.jpg");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Idempotency-Key": key, "X-CSRFToken": csrf },
      body: form,
    });
  };

  // A photo made small enough to wait in localStorage: at most 1280 px, JPEG quality 0.8
  // (lower if still too big); null when the browser cannot read it or it stays too big.
  const PHOTO_MAX_PX = 1280;
  const PHOTO_MAX_CHARS = 1_500_000; // about 1.1 MB of JPEG
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
        for (const quality of [0.8, 0.6, 0.4]) {
          const url = canvas.toDataURL("image/jpeg", quality);
          if (url.length <= PHOTO_MAX_CHARS) return resolve(url);
        }
        resolve(null);
      };
      img.onerror = () => {
        URL.revokeObjectURL(src);
        resolve(null);
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
  const api = root.dataset.api.replace(/\/$/, "");
  const plan = root.dataset.plan;
  const csrf = root.dataset.csrf;
  const QUEUE = `siaga.field.queue.${plan}`;
  const $ = (id) => document.getElementById(id);
  const postSelect = $("post");
  const POST = `siaga.field.post.${plan}`;

  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(QUEUE) || "[]");
    } catch (e) {
      return [];
    }
  };
  const save = (queue) => {
    try {
      localStorage.setItem(QUEUE, JSON.stringify(queue));
    } catch (e) {
      // storage full: drop the queued photos (never the reports themselves) and try again
      localStorage.setItem(
        QUEUE,
        JSON.stringify(queue.map(({ photo, ...rest }) => (rest.kind === "photo" ? null : rest)).filter(Boolean)),
      );
      log(text.photoDropped);
    }
  };

  const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });

  const render = () => {
    const queue = load();
    $("queue-count").textContent = String(queue.length);
    $("queue-box").classList.toggle("empty", queue.length === 0);
    const list = $("queue-list");
    list.replaceChildren(
      ...queue.map((item) => {
        const li = document.createElement("li");
        li.dataset.key = item.key;
        li.textContent = `${time(item.at)} · ${item.label}`;
        return li;
      }),
    );
    const net = $("net");
    net.textContent = navigator.onLine ? text.online : text.offline;
    net.className = navigator.onLine ? "online" : "offline";
  };

  const log = (line) => {
    const li = document.createElement("li");
    li.textContent = `${time(new Date().toISOString())} · ${line}`;
    $("log").prepend(li);
  };

  const showStatus = () => {
    const option = postSelect.selectedOptions[0];
    $("current-status").textContent = option ? option.dataset.label : "";
    document.querySelectorAll("#status-buttons button").forEach((b) => {
      b.classList.toggle("current", !!option && b.dataset.status === option.dataset.status);
    });
  };

  const sent = (item, data) => {
    if (item.kind === "status") {
      const option = Array.from(postSelect.options).find((o) => o.value === item.post);
      if (option) {
        option.dataset.status = data.status;
        option.dataset.label = item.statusLabel;
      }
      showStatus();
      log(`${item.label} — ${text.sent}${data.flagged ? ` (${text.flagged}: ${data.distance_km} km)` : ""}`);
    } else if (item.kind === "incident" && item.photo && data && data.id) {
      log(`${item.label} — ${text.sent}`);
      // the photo follows the incident it belongs to, queued under a key made with the report
      const queue = load();
      queue.push({
        key: item.photoKey,
        at: new Date().toISOString(),
        kind: "photo",
        label: `${text.photo} #${data.id}`,
        url: `${api}/incidents/${data.id}/photo`,
        photo: item.photo,
      });
      save(queue);
    } else {
      log(`${item.label} — ${text.sent}`);
    }
    if (item.kind === "custody") custodySent(item);
  };

  // ---------------------------------------------------------------- escorts and buku mutasi
  // Forms and buttons with data-queue-url (templates/field/_custody_phone.html) go through the
  // same queue, each with the time it was made (`at`), so an arrival recorded offline keeps its
  // time. A form keeps what was typed until the server has taken it; a refusal is shown in it.

  const custodySent = (item) => {
    if (item.stateTarget && $(item.stateTarget)) $(item.stateTarget).textContent = item.stateText;
    const flag = item.stateTarget && item.body.kind === "tiba" && $(`${item.stateTarget}-flag`);
    if (flag) flag.hidden = true; // arrived: no longer missing
    const form = item.form && $(item.form);
    if (form && form.tagName === "FORM" && !form.classList.contains("manifest-form")) form.reset();
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
        url: button.dataset.queueUrl,
        body: { ...JSON.parse(button.dataset.body || "{}"), at: new Date().toISOString() },
      }),
    );
  });

  let flushing = false;
  const flush = async () => {
    if (flushing) return;
    flushing = true;
    try {
      for (;;) {
        const queue = load();
        if (!queue.length || !navigator.onLine) break;
        const item = queue[0];
        let response;
        try {
          response =
            item.kind === "photo"
              ? await sendPhoto(item.url, item.photo, item.key, csrf)
              : await send(item.url, item.body, item.key, csrf);
        } catch (e) {
          break; // no network: kept, sent again later with the same key
        }
        if (transient(response.status)) break;
        const data = response.ok ? await response.json().catch(() => ({})) : null;
        save(load().filter((i) => i.key !== item.key));
        if (response.ok) sent(item, data);
        else {
          const why = await detail(response);
          log(`${item.label} — ${text.refused}: ${why}`);
          if (item.kind === "custody") custodyRefused(item, why);
        }
        render();
      }
    } finally {
      flushing = false;
      render();
    }
  };

  const enqueue = (item) => {
    const queue = load();
    queue.push({ key: uuid(), at: new Date().toISOString(), ...item });
    save(queue);
    render();
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
      ...codes.map((c) => new Option(c, c)),
    ];
    $("tps").replaceChildren(...options(false));
    $("incident-tps").replaceChildren(...options(true));
  };

  const remembered = localStorage.getItem(POST);
  if (remembered && Array.from(postSelect.options).some((o) => o.value === remembered)) postSelect.value = remembered;
  postSelect.addEventListener("change", () => {
    localStorage.setItem(POST, postSelect.value);
    fillTps();
    showStatus();
  });

  $("status-buttons").addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-status]");
    if (!button || !postSelect.value) return;
    const post = postSelect.value;
    const key = uuid(); // made once, for this action, before anything can fail
    button.disabled = true;
    const where = await position();
    button.disabled = false;
    const queue = load();
    queue.push({
      key,
      at: new Date().toISOString(),
      kind: "status",
      post,
      statusLabel: button.dataset.label,
      label: `${text.status} ${post}: ${button.dataset.label}`,
      url: `${api}/plans/${plan}/posts/${encodeURIComponent(post)}/status`,
      body: { status: button.dataset.status, ...(where || {}) },
    });
    save(queue);
    render();
    flush();
  });

  $("tps-buttons").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-kind]");
    const tps = $("tps").value;
    if (!button || !tps) return;
    enqueue({
      kind: "tps",
      label: `${text.tps} ${tps}: ${button.dataset.label}`,
      url: `${api}/plans/${plan}/tps/${encodeURIComponent(tps)}/events`,
      body: { kind: button.dataset.kind },
    });
  });

  $("incident-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const tps = form.tps_code.value;
    const kindLabel = form.kind.selectedOptions[0].textContent;
    const file = form.photo && form.photo.files[0];
    const photo = file ? await shrink(file) : null;
    if (file && !photo) log(`${text.photo} — ${text.refused}`);
    if (form.photo) form.photo.value = "";
    enqueue({
      ...(photo ? { photo, photoKey: uuid() } : {}),
      kind: "incident",
      label: `${text.incident}: ${kindLabel} (${tps || postSelect.value})`,
      url: `${api}/plans/${plan}/incidents`,
      body: {
        kind: form.kind.value,
        severity: Number(form.severity.value),
        tps_code: tps,
        post_id: tps ? "" : postSelect.value,
        description: form.description.value,
      },
    });
    form.description.value = "";
  });

  $("queue-retry").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("online", render);
  window.addEventListener("offline", render);
  setInterval(flush, 5000);
  fillTps();
  showStatus();
  render();
  flush();
})();
