/* The phone's write queue, kept in IndexedDB (database "siaga-field", store "writes"): every
 * write the page makes waits here, in the order it was made, until the server has taken it. It
 * outlives a reload, a closed tab and a restarted phone; a photo waits as a Blob (localStorage,
 * the queue's former home, held strings only and was full after two photos).
 *
 * An item is a plain object with its Idempotency-Key as `key` (made once, when the action is
 * taken), the time it was made as `at`, and what phone.js needs to send it. `seq` keeps the
 * order. Items left in localStorage by an older page are moved here once (`adopt`).
 *
 * window.SiagaQueue: all(), add(item), settle(key, next), adopt(storageKey), exclusive(fn).
 */
(() => {
  "use strict";

  const DB = "siaga-field";
  const STORE = "writes";
  let opened = null;

  const request = (r) =>
    new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });

  const db = () => {
    if (!opened) {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: "key" });
      opened = request(r);
    }
    return opened;
  };

  // One transaction over the store; resolves when it has committed.
  const write = async (change) => {
    const tx = (await db()).transaction(STORE, "readwrite");
    change(tx.objectStore(STORE));
    return new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  };

  let last = 0;
  const seq = () => (last = Math.max(last + 1, Date.now() * 1000)); // increasing, within this page

  /** Every queued item, oldest first. */
  const all = async () => {
    const items = await request((await db()).transaction(STORE).objectStore(STORE).getAll());
    return items.sort((a, b) => a.seq - b.seq);
  };

  /** Queue `item` (it has its `key`); stored when the promise resolves. */
  const add = (item) => write((store) => store.put({ seq: seq(), ...item }));

  /** The item `key` is done; `next` (a follow-up write, or null) takes its place in the same
   * transaction: a report's photo is never lost between the two. */
  const settle = (key, next) =>
    write((store) => {
      store.delete(key);
      if (next) store.put({ seq: seq(), ...next });
    });

  const blob = (dataUrl) => {
    const [head, b64] = dataUrl.split(",", 2);
    const type = (head.match(/^data:([^;]+)/) || [])[1] || "image/jpeg";
    return new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type });
  };

  /** Move the items an older page left in localStorage under `storageKey` (photos were data
   * URLs: they become Blobs), then forget them there. Keys are kept: an item already sent is
   * stored once by the server however often it comes. */
  const adopt = async (storageKey) => {
    let old;
    try {
      old = JSON.parse(localStorage.getItem(storageKey) || "[]");
    } catch (e) {
      old = [];
    }
    if (!Array.isArray(old) || !old.length) return localStorage.removeItem(storageKey);
    await write((store) => {
      for (const item of old) {
        if (typeof item.photo === "string" && item.photo.startsWith("data:")) item.photo = blob(item.photo);
        store.put({ seq: seq(), ...item });
      }
    });
    localStorage.removeItem(storageKey);
  };

  /** Run `fn` unless another tab (or this one) is sending already: one sender at a time. */
  let busy = false;
  const exclusive = async (fn) => {
    if (navigator.locks) return navigator.locks.request("siaga-field-queue", { ifAvailable: true }, (lock) => (lock ? fn() : null));
    if (busy) return null;
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };

  window.SiagaQueue = { all, add, settle, adopt, exclusive };
})();
