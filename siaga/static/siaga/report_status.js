/* The reporter's own incident reports on the phone page: their state and the ETA of help
 * ("bantuan dalam perjalanan, tiba sekitar N menit"). The section is re-read from the console
 * as soon as the phone has sent a report (at once, or from the offline queue: phone.js says
 * "siaga:sent"), and every few seconds while online; offline the last copy stays shown. Only
 * the answer to the newest reading is shown: a reading begun before the report was sent (on
 * coming back online) cannot overwrite one made after it. */
(() => {
  "use strict";

  const INTERVAL_MS = 10000;
  let latest = 0;
  const read = async () => {
    const box = document.getElementById("report-status");
    if (!box || !box.dataset.url || !navigator.onLine) return;
    const mine = ++latest;
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const html = await response.text();
      if (mine !== latest) return; // a newer reading is on its way
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-status");
      if (fresh) box.replaceChildren(...fresh.childNodes);
    } catch (e) {
      /* offline or the console away: keep what is shown */
    }
  };

  setInterval(read, INTERVAL_MS);
  window.addEventListener("online", read);
  document.addEventListener("siaga:sent", (event) => {
    if (event.detail && (event.detail.kind === "incident" || event.detail.kind === "photo")) read();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") read();
  });
})();
