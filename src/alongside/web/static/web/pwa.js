// Installable app and offline check-ins.
//
// Registers the service worker (/sw.js). A form marked data-offline-queue is, while the device is offline,
// kept in IndexedDB instead of being sent: each with an idempotency key of its own, so that when the
// connection returns it is sent once and only once (a repeat with the same key is recognised by the
// server). A status line says how many are waiting to send.
const DB_NAME = "alongside-offline";
const STORE = "outbox";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const queued = () => withStore("readonly", (store) => store.getAll());

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return "offline-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function showStatus(form) {
  const status = document.getElementById(form.dataset.offlineStatus || "");
  if (!status) return;
  const items = (await queued()).filter((item) => item.action === form.action);
  status.hidden = items.length === 0;
  const text = items.length === 1 ? status.dataset.waitingOne : status.dataset.waitingMany;
  status.textContent = items.length ? text.replace("%s", String(items.length)) : "";
}

async function queue(form) {
  const fields = Array.from(new FormData(form).entries()).filter(([name]) => name !== "idempotency_key");
  const key = newKey();
  await withStore("readwrite", (store) => store.put({ key, action: form.action, fields, at: Date.now() }));
  form.reset();
  await showStatus(form);
}

// One send at a time: "online" may fire while a send is under way (or twice), and the same key sent twice at
// once would race on the server.
let sending = null;

function sendQueued() {
  sending = sending || flush().finally(() => {
    sending = null;
  });
  return sending;
}

async function flush() {
  // The page's own CSRF token is current; the one kept with an item may predate a new sign-in.
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  for (const item of await queued()) {
    const body = new URLSearchParams(item.fields);
    body.set("idempotency_key", item.key);
    if (csrf) body.set("csrfmiddlewaretoken", csrf.value);
    let response;
    try {
      response = await fetch(item.action, { method: "POST", body, credentials: "same-origin", redirect: "manual" });
    } catch (error) {
      return; // still offline: try again on the next "online"
    }
    // A redirect (opaque here) means saved; 422 means the server refused it and will not take it later either.
    if (response.type === "opaqueredirect" || response.ok || response.status === 422) {
      await withStore("readwrite", (store) => store.delete(item.key));
    }
  }
  document.querySelectorAll("form[data-offline-queue]").forEach(showStatus);
}

document.querySelectorAll("form[data-offline-queue]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (navigator.onLine) return;
    event.preventDefault();
    queue(form);
  });
  showStatus(form);
});

window.addEventListener("online", sendQueued);
if (navigator.onLine) sendQueued();
