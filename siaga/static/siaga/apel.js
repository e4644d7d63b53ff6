/* The apel roll call: the camera scanner (jsQR on video frames), the NRP box and the ticks of
   the list all send one check-in to the page's endpoint with a fresh Idempotency-Key; a retry
   after a network error reuses the same key, so the server stores one record. A check-in
   answered with the login page (the session ended) goes there; the NRP typed comes back after
   it (typed-kept.js). */
(function () {
  "use strict";
  const root = document.getElementById("apel");
  if (!root) return;
  const url = root.dataset.checkin;
  const csrf = root.dataset.csrf;
  const text = JSON.parse(document.getElementById("apel-text").textContent);
  const result = document.getElementById("scan-result");

  // The unit filter's counts ("Sat Samapta · 3/40") follow the readiness panel each time htmx
  // swaps it (refreshed after a check-in, or polled): its unit table has the same counts, so the
  // polled answer carries nothing more. An option's value is the unit's code, "-" for no unit.
  function followUnitCounts() {
    const select = document.getElementById("roll-unit");
    if (!select) return;
    for (const row of document.querySelectorAll("#ready-units tr[data-unit]")) {
      const option = select.querySelector('option[value="' + CSS.escape(row.dataset.unit || "-") + '"]');
      if (!option || row.cells.length < 3) continue;
      const [name, present, expected] = Array.from(row.cells, (cell) => cell.textContent.trim());
      option.textContent = name + " · " + present + "/" + expected;
    }
  }
  document.addEventListener("htmx:afterSettle", followUnitCounts);

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function show(message, good) {
    result.textContent = message;
    result.className = "scan-result " + (good ? "ok" : "bad");
  }

  function markPresent(code) {
    const row = root.querySelector('#roster tr[data-code="' + CSS.escape(code) + '"]');
    if (!row) return;
    row.classList.add("present");
    const cell = row.querySelector("td.tick");
    if (cell) {
      cell.replaceChildren();
      const ok = document.createElement("span");
      ok.className = "ok";
      ok.textContent = "✓ " + text.present;
      cell.appendChild(ok);
    }
  }

  async function send(fields) {
    const key = newKey();
    const body = new URLSearchParams(fields);
    let lastError = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const response = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Idempotency-Key": key, "X-CSRFToken": csrf, Accept: "application/json" },
          body: body,
        });
        const kept = window.siagaTypedKept;
        if (kept && kept.ended(response)) {
          // the session ended: the NRP typed waits for the login (typed-kept.js); nothing was recorded
          kept.keep();
          kept.signIn();
          return { ok: false, error: text.failed };
        }
        const answer = await response.json();
        if (answer.ok) {
          show(answer.message, true);
          markPresent(answer.person_code);
          if (window.htmx) htmx.trigger("#readiness", "refresh");
        } else {
          show(answer.error || text.failed, false);
        }
        return answer;
      } catch (error) {
        lastError = error;
        await new Promise((done) => setTimeout(done, 500 * (attempt + 1)));
      }
    }
    show(text.failed, false);
    return { ok: false, error: String(lastError) };
  }

  const apel = {
    checkInToken: (token) => send({ token: token }),
    checkInNrp: (nrp, method) => send({ nrp: nrp, method: method || "nrp" }),
  };
  window.siagaApel = apel;

  const form = document.getElementById("nrp-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = document.getElementById("nrp");
      const value = input.value.trim();
      if (!value) return;
      const answer = await apel.checkInNrp(value, "nrp");
      if (answer.ok) input.value = "";
      input.focus();
    });
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest(".tick-button");
    if (!button) return;
    button.disabled = true;
    apel.checkInNrp(button.dataset.nrp, "list").then((answer) => {
      if (!answer.ok) button.disabled = false;
    });
  });

  // -- the camera scanner ------------------------------------------------------------------
  const video = document.getElementById("camera");
  const canvas = document.getElementById("frame");
  const start = document.getElementById("camera-start");
  const stop = document.getElementById("camera-stop");
  let stream = null;
  let last = { data: "", at: 0 };

  function scan() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      const now = Date.now();
      if (code && code.data && (code.data !== last.data || now - last.at > 4000)) {
        last = { data: code.data, at: now };
        apel.checkInToken(code.data.trim());
      }
    }
    requestAnimationFrame(scan);
  }

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show(text.camera_off, false);
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      show(text.camera_off, false);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    start.hidden = true;
    stop.hidden = false;
    show(text.scanning, true);
    requestAnimationFrame(scan);
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  }

  if (start) start.addEventListener("click", startCamera);
  if (stop) stop.addEventListener("click", stopCamera);
})();
