// Group video sessions: a small client of the Janus JSON protocol (VideoRoom plugin) over its WebSocket.
//
// Why not the janus-gateway npm package's janus.js: its entry (npm/dist/janus.es.js) depends on the
// webrtc-adapter package, which a browser can only resolve through a bundler or an inline import map, and
// the strict CSP forbids inline scripts while this project has no bundler. What a group call needs from
// Janus is a dozen message types (create, attach, join, publish, subscribe, start, trickle, keepalive,
// leave), written out here in one reviewable module with no third-party code.
//
// The server gave this page, for this person only: the public Janus URL, a signed token that expires when
// the session's room closes, the room number and its pin, the display name and the ICE servers.

const config = JSON.parse(document.getElementById("group-config").textContent);
const root = document.getElementById("group");
const statusLine = document.getElementById("group-status");
const errors = document.getElementById("group-errors");
const tiles = document.getElementById("tiles");
const strings = Object.fromEntries(
  [...document.querySelectorAll("#group-strings li")].map((li) => [li.dataset.key, li.textContent]),
);

const pending = new Map(); // transaction -> {resolve, reject, wantEvent}
const handles = new Map(); // handle id -> {onEvent, pc, queued}
const feeds = new Map(); // publisher id -> handle id
let ws = null;
let sessionId = null;
let keepalive = null;
let localStream = null;
let privateId = null;
let publisher = null;
let leaving = false;

function say(key) {
  statusLine.textContent = strings[key] || key;
}

function fail(key) {
  errors.hidden = false;
  const li = document.createElement("li");
  li.textContent = strings[key] || key;
  errors.replaceChildren(li);
  root.dataset.state = "failed";
}

function transactionId() {
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}

function send(body, wantEvent = false) {
  const transaction = transactionId();
  const message = { ...body, transaction, token: config.token };
  if (sessionId !== null && body.janus !== "create") message.session_id = sessionId;
  return new Promise((resolve, reject) => {
    pending.set(transaction, { resolve, reject, wantEvent });
    ws.send(JSON.stringify(message));
  });
}

function onMessage(event) {
  const msg = JSON.parse(event.data);
  const waiting = msg.transaction ? pending.get(msg.transaction) : undefined;
  if (waiting) {
    if (msg.janus === "ack" && waiting.wantEvent) return; // the plugin's answer follows as an event
    pending.delete(msg.transaction);
    if (msg.janus === "error") waiting.reject(new Error(msg.error?.reason || "janus error"));
    else if (msg.plugindata?.data?.error) waiting.reject(new Error(msg.plugindata.data.error));
    else waiting.resolve(msg);
    return;
  }
  const handle = handles.get(msg.sender);
  if (!handle) return;
  if (msg.janus === "trickle") {
    const candidate = msg.candidate;
    if (!candidate || candidate.completed) return;
    if (handle.pc && handle.pc.remoteDescription) handle.pc.addIceCandidate(candidate).catch(() => {});
    else handle.queued.push(candidate);
  } else if (msg.janus === "event" && handle.onEvent) {
    handle.onEvent(msg);
  } else if (msg.janus === "hangup" && handle.onHangup) {
    handle.onHangup();
  }
}

async function attach(onEvent) {
  const answer = await send({ janus: "attach", plugin: "janus.plugin.videoroom" });
  const id = answer.data.id;
  handles.set(id, { onEvent, pc: null, queued: [] });
  return id;
}

function message(handleId, body, jsep) {
  const msg = { janus: "message", handle_id: handleId, body };
  if (jsep) msg.jsep = { type: jsep.type, sdp: jsep.sdp };
  return send(msg, true);
}

function peer(handleId) {
  const pc = new RTCPeerConnection(config.rtc);
  pc.onicecandidate = (event) => {
    const candidate = event.candidate
      ? { candidate: event.candidate.candidate, sdpMid: event.candidate.sdpMid, sdpMLineIndex: event.candidate.sdpMLineIndex }
      : { completed: true };
    if (ws && ws.readyState === WebSocket.OPEN) send({ janus: "trickle", handle_id: handleId, candidate }).catch(() => {});
  };
  handles.get(handleId).pc = pc;
  return pc;
}

async function remoteDescription(handleId, jsep) {
  const handle = handles.get(handleId);
  await handle.pc.setRemoteDescription(jsep);
  for (const candidate of handle.queued.splice(0)) await handle.pc.addIceCandidate(candidate).catch(() => {});
}

function tileFor(feed, name) {
  let tile = tiles.querySelector(`[data-feed="${feed}"]`);
  if (tile) return tile;
  tile = document.createElement("figure");
  tile.className = "tile";
  tile.setAttribute("role", "listitem");
  tile.dataset.feed = String(feed);
  tile.dataset.name = name;
  tile.dataset.framesDecoded = "0";
  tile.dataset.bytesReceived = "0";
  const video = document.createElement("video");
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute("aria-label", (strings.video_of || "%(name)s").replace("%(name)s", name));
  const caption = document.createElement("figcaption");
  caption.textContent = name;
  tile.append(video, caption);
  tiles.append(tile);
  root.dataset.remoteCount = String(tiles.querySelectorAll("[data-feed]").length);
  return tile;
}

function dropFeed(feed) {
  const handleId = feeds.get(feed);
  feeds.delete(feed);
  if (handleId !== undefined && handleId !== null) {
    handles.get(handleId)?.pc?.close();
    handles.delete(handleId);
    send({ janus: "detach", handle_id: handleId }).catch(() => {});
  }
  tiles.querySelector(`[data-feed="${feed}"]`)?.remove();
  root.dataset.remoteCount = String(tiles.querySelectorAll("[data-feed]").length);
}

async function subscribe(publisherInfo) {
  if (feeds.has(publisherInfo.id) || leaving) return;
  feeds.set(publisherInfo.id, null); // claimed before the first await: the same feed may be announced twice
  const handleId = await attach(null);
  if (!feeds.has(publisherInfo.id)) {
    send({ janus: "detach", handle_id: handleId }).catch(() => {}); // it left while we attached
    return;
  }
  feeds.set(publisherInfo.id, handleId);
  const tile = tileFor(publisherInfo.id, publisherInfo.display || "");
  const pc = peer(handleId);
  const stream = new MediaStream();
  pc.ontrack = (event) => {
    stream.addTrack(event.track);
    tile.querySelector("video").srcObject = stream;
  };
  const joined = await message(handleId, {
    request: "join",
    ptype: "subscriber",
    room: config.room,
    pin: config.pin,
    private_id: privateId,
    streams: [{ feed: publisherInfo.id }],
  });
  await remoteDescription(handleId, joined.jsep);
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  await message(handleId, { request: "start", room: config.room }, answer);
}

function onPublisherEvent(msg) {
  const data = msg.plugindata?.data || {};
  if (data.videoroom === "destroyed") {
    say("ended");
    hangUp();
    return;
  }
  for (const info of data.publishers || []) subscribe(info).catch(() => {});
  if (data.leaving !== undefined && data.leaving !== "ok") dropFeed(data.leaving);
  if (data.unpublished !== undefined && data.unpublished !== "ok") dropFeed(data.unpublished);
}

async function publish() {
  publisher = await attach(onPublisherEvent);
  const joined = await message(publisher, {
    request: "join",
    ptype: "publisher",
    room: config.room,
    pin: config.pin,
    display: config.display,
  });
  const data = joined.plugindata.data;
  privateId = data.private_id;
  const pc = peer(publisher);
  localStream.getTracks().forEach((track) => pc.addTrack(track, localStream));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  const answer = await message(publisher, { request: "publish" }, offer);
  await remoteDescription(publisher, answer.jsep);
  for (const info of data.publishers || []) subscribe(info).catch(() => {});
}

async function stats() {
  for (const [feed, handleId] of feeds) {
    const pc = handles.get(handleId)?.pc;
    const tile = tiles.querySelector(`[data-feed="${feed}"]`);
    if (!pc || !tile) continue;
    const report = await pc.getStats();
    report.forEach((entry) => {
      if (entry.type === "inbound-rtp" && entry.kind === "video") {
        tile.dataset.framesDecoded = String(entry.framesDecoded || 0);
        tile.dataset.bytesReceived = String(entry.bytesReceived || 0);
      }
    });
  }
}

function hangUp() {
  leaving = true;
  clearInterval(keepalive);
  for (const handle of handles.values()) handle.pc?.close();
  localStream?.getTracks().forEach((track) => track.stop());
  if (ws && ws.readyState === WebSocket.OPEN) {
    if (publisher !== null) message(publisher, { request: "leave" }).catch(() => {});
    send({ janus: "destroy" }).catch(() => {});
    setTimeout(() => ws.close(), 200);
  }
  root.dataset.state = "left";
  document.getElementById("group-left").hidden = false;
}

// A toggle keeps its label ("Mute", "Camera off"); aria-pressed says whether it is on (WAI-ARIA button pattern).
function toggle(button, kind) {
  const off = button.getAttribute("aria-pressed") !== "true";
  localStream?.getTracks().filter((t) => t.kind === kind).forEach((t) => { t.enabled = !off; });
  button.setAttribute("aria-pressed", String(off));
}

document.getElementById("mute").addEventListener("click", (e) => toggle(e.currentTarget, "audio"));
document.getElementById("camera").addEventListener("click", (e) => toggle(e.currentTarget, "video"));
document.getElementById("leave").addEventListener("click", hangUp);
window.addEventListener("pagehide", () => { if (!leaving) hangUp(); });

async function start() {
  try {
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  } catch (error) {
    fail(error.name === "NotAllowedError" ? "blocked" : "missing");
    return;
  }
  document.getElementById("local").srcObject = localStream;
  ws = new WebSocket(config.url, "janus-protocol");
  ws.addEventListener("message", onMessage);
  ws.addEventListener("close", () => { if (!leaving) fail("lost"); });
  ws.addEventListener("open", async () => {
    try {
      sessionId = (await send({ janus: "create" })).data.id;
      keepalive = setInterval(() => send({ janus: "keepalive" }).catch(() => {}), 25000);
      await publish();
      root.dataset.state = "in-call";
      say("in_call");
      setInterval(() => stats().catch(() => {}), 500);
    } catch (error) {
      fail("refused");
    }
  });
}

start();
