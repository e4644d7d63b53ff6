/* The reporter's own incident reports on the phone page: their state and the ETA of help
 * ("bantuan dalam perjalanan, tiba sekitar N menit"). The section is re-read from the console
 * every few seconds while online; offline the last copy stays shown. */
(() => {
  "use strict";

  const INTERVAL_MS = 10000;
  const read = async () => {
    const box = document.getElementById("report-status");
    if (!box || !box.dataset.url || !navigator.onLine) return;
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-status");
      if (fresh) box.replaceChildren(...fresh.childNodes);
    } catch (e) {
      /* offline or the console away: keep what is shown */
    }
  };

  setInterval(read, INTERVAL_MS);
  window.addEventListener("online", read);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") read();
  });
})();
