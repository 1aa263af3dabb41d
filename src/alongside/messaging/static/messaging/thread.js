// The live thread: send and receive over a WebSocket, catch up after a reconnect,
// report what has been read. Without a socket the form posts and the page reloads.

const form = document.getElementById("message-form");
const thread = document.getElementById("thread");
const liveErrors = document.getElementById("live-errors");
const status = document.getElementById("live-status");
const receipt = document.getElementById("read-receipt");
const crisisPanel = document.getElementById("crisis-panel");
const wsPath = form ? form.dataset.wsPath : thread && thread.dataset.wsPath;

let lastSeq = Number(thread ? thread.dataset.lastSeq : 0) || 0;
let socket = null;
let retryDelay = 1000;
const pending = new Map(); // idempotency key -> body, resent after a reconnect

function newKey() {
  return (self.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9-]/g, "");
}

function showError(text) {
  if (!liveErrors) return;
  liveErrors.replaceChildren();
  if (text) {
    const item = document.createElement("li");
    item.textContent = text;
    liveErrors.append(item);
  }
  liveErrors.hidden = !text;
}

function addMessage(frame) {
  if (document.getElementById("m-" + frame.seq)) return;
  const empty = document.getElementById("thread-empty");
  if (empty) empty.remove();
  const holder = document.createElement("template");
  holder.innerHTML = frame.html.trim(); // server-rendered, escaped by Django's templates
  const node = holder.content.firstElementChild;
  if (!node) return;
  thread.append(node);
  lastSeq = Math.max(lastSeq, frame.seq);
  thread.scrollTop = thread.scrollHeight;
  if (receipt && frame.mine) receipt.textContent = "";
  markRead();
}

function markRead() {
  if (socket && socket.readyState === WebSocket.OPEN && document.visibilityState === "visible" && lastSeq) {
    socket.send(JSON.stringify({ type: "read", seq: lastSeq }));
  }
}

function showReceipt(frame) {
  if (!receipt) return;
  const mine = thread.querySelectorAll(".msg-mine");
  const last = thread.lastElementChild;
  if (!last || !last.classList.contains("msg-mine") || !mine.length) return;
  const ownSide = document.body.classList.contains("shell-client");
  if (frame.by_client === ownSide) return; // our own read position
  if (frame.seq >= Number(last.dataset.seq)) receipt.textContent = receipt.dataset.seen || receipt.getAttribute("data-seen") || "Seen";
}

function connect() {
  if (!wsPath) return;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(scheme + "//" + location.host + wsPath);
  socket.addEventListener("open", () => {
    retryDelay = 1000;
    if (form) form.dataset.live = "1";
    socket.send(JSON.stringify({ type: "catch_up", after: lastSeq }));
    for (const [key, body] of pending) socket.send(JSON.stringify({ type: "send", key, ...body }));
    markRead();
  });
  socket.addEventListener("message", (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    if (frame.type === "message") addMessage(frame);
    else if (frame.type === "ack") {
      pending.delete(frame.key);
      if (status) status.textContent = status.dataset.sent || "";
      if (frame.crisis && crisisPanel) { crisisPanel.hidden = false; crisisPanel.focus(); }
    } else if (frame.type === "error") {
      pending.delete(frame.key);
      showError(frame.message);
    } else if (frame.type === "read") showReceipt(frame);
  });
  socket.addEventListener("close", (event) => {
    if (form) delete form.dataset.live;
    if (event.code === 4403) { // refused or the session ended: the plain form still works
      if (status) status.textContent = status.dataset.stopped || "";
      return;
    }
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  });
}

if (form) {
  form.addEventListener("submit", (event) => {
    const file = form.querySelector("input[type=file]");
    if (!socket || socket.readyState !== WebSocket.OPEN || (file && file.files.length)) return; // post the form
    event.preventDefault();
    const bodyField = form.querySelector("textarea[name=body]");
    const entry = form.querySelector("select[name=entry]");
    const [entryKind, entryId] = entry && entry.value ? entry.value.split(":") : ["", ""];
    const body = { body: bodyField.value, entry_kind: entryKind, entry_id: entryId || null };
    if (!body.body.trim() && !entryKind) { showError(form.dataset.emptyError || "Write a message first."); return; }
    const key = newKey();
    pending.set(key, body);
    showError("");
    socket.send(JSON.stringify({ type: "send", key, ...body }));
    bodyField.value = "";
    if (entry) entry.value = "";
    bodyField.focus();
  });
}

document.addEventListener("visibilitychange", markRead);
connect();
