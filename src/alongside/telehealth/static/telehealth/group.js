// A group call: the device check, the waiting room, then the call through Janus (janus_call.js, a small client
// of the Janus JSON protocol, VideoRoom plugin), with the chat, quality and device check shared with one-to-one
// rooms.
//
// Why not the janus-gateway npm package's janus.js: its entry (npm/dist/janus.es.js) depends on the
// webrtc-adapter package, which a browser can only resolve through a bundler or an inline import map, and
// the strict CSP forbids inline scripts while this project has no bundler. What a group call needs from
// Janus is a dozen message types (create, attach, join, publish, subscribe, start, trickle, keepalive,
// leave), written out here in one reviewable module with no third-party code.
//
// Our own socket (/ws/telehealth/group/<id>/, group_consumers.py) carries the waiting room and the chat.
// Only once the clinician lets a person in does it send their Janus keys: the public Janus URL, a signed
// token, the room, its pin, a room token on that room's allowed list, a publisher id and the ICE servers.
// When a Janus PeerConnection fails, or stays disconnected 2 s, while the Janus session still answers, the
// page restarts ICE on the same handles (the publisher offers again with iceRestart and sends it in a
// "configure"; each subscriber asks Janus for a fresh offer with "configure" + "restart": true and answers
// it), so the others keep this person's tile and feed. If the Janus session is gone, or the restart has not
// connected within 10 s, the page rejoins with fresh keys (the server sends the stale feed out first).

import { createChat } from "./chat.js";
import { createDeviceCheck } from "./devices.js";
import { JanusCall } from "./janus_call.js";
import { createQuality } from "./quality.js";
import { createStatus } from "./status.js";

const $ = (id) => document.getElementById(id);
const root = $("group");
const isClinician = root.dataset.role === "clinician";
const statusLine = $("group-status");
const errors = $("group-errors");
const { say, showError } = createStatus(statusLine, errors);
const tiles = $("tiles");
const call = $("call");
const strings = Object.fromEntries([...$("group-strings").querySelectorAll("li")].map((li) => [li.dataset.key, li.textContent]));

let localStream = null;
let socket = null;
let retryDelay = 500;
let retryTimer = null;
let finished = false;
let admitted = false;
let current = null; // the Janus connection now (a JanusCall), replaced whole on a rejoin
let screenTrack = null;


function setState(state) {
  root.dataset.state = state;
  $("device-check").hidden = state !== "check";
  $("waiting").hidden = state !== "waiting";
  call.hidden = state !== "in-call" && state !== "connecting";
}

const devices = createDeviceCheck({
  onStream: (stream) => {
    localStream = stream;
    $("local").srcObject = stream;
  },
  say,
});
const chat = createChat({ send: (frame) => send(frame), you: strings.you });
const qualityMeter = createQuality();

// The local ICE username fragment, on the page for the browser test: a restart changes it, a rejoin too.
function showUfrag(element, pc) {
  const match = /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp || "");
  if (match) element.dataset.iceUfrag = match[1];
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

function publisherState(janusCall, state) {
  if (janusCall !== current) return;
  if (state === "connected") {
    setState("in-call");
    if (!janusCall.restarting) say(strings.in_call);
    send({ type: "connected", up: true });
  } // failed or disconnected: JanusCall.pcState restarts ICE, and rejoins if that does not work
}

// For the browser test (and an operator in the console): restart ICE now, as a failed connection would.
root.addEventListener("restart-ice", () => current?.restartIce());

function lostJanus(janusCall) {
  if (janusCall === current) rejoin();
}

// Start the media afresh: stop this Janus connection and ask our server for new keys.
function rejoin() {
  if (finished) return;
  stopJanus();
  say(strings.reconnecting);
  root.dataset.rejoins = String(Number(root.dataset.rejoins) + 1);
  if (socket && socket.readyState === WebSocket.OPEN) setTimeout(() => send({ type: "ticket" }), 500);
}

function stopJanus() {
  if (current) current.stop();
  current = null;
}

async function readStats() {
  if (!current) return;
  const reports = [];
  const publisherPc = current.publisherPc();
  if (publisherPc) reports.push(await publisherPc.getStats());
  for (const [feed, handleId] of current.feeds) {
    const pc = current.handles.get(handleId)?.pc;
    const tile = tiles.querySelector(`[data-feed="${feed}"]`);
    if (!pc || !tile) continue;
    const report = await pc.getStats();
    reports.push(report);
    report.forEach((entry) => {
      if (entry.type === "inbound-rtp" && entry.kind === "video") {
        tile.dataset.framesDecoded = String(entry.framesDecoded || 0);
        tile.dataset.bytesReceived = String(entry.bytesReceived || 0);
        tile.dataset.frameWidth = String(entry.frameWidth || 0); // the browser test tells a shared screen by it
      }
    });
  }
  const { level } = qualityMeter.read(reports);
  if (publisherPc && publisherPc.connectionState === "connected" && call.dataset.quality !== level) {
    call.dataset.quality = level;
    $("quality").textContent = strings["quality_" + level];
  }
}
setInterval(() => readStats().catch(() => {}), 1000);

// What a JanusCall may do to the page (janus_call.js).
function callUi() {
  return {
    root,
    tiles,
    isCurrent: (janusCall) => janusCall === current,
    lost: lostJanus,
    refused: () => showError(strings.janus_refused),
    publisherState,
    stream: () => localStream,
    tracks: () => (localStream ? localStream.getTracks().map((t) => (screenTrack && t.kind === "video" ? screenTrack : t)) : []),
    tile: tileFor,
    showUfrag,
    ended: () => finish("ended"),
    say: (key) => say(strings[key]),
    rejoin,
  };
}

// --- Our signalling socket: waiting room, keys, chat ----------------------------------------

function send(frame) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function connectSocket() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  socket = new WebSocket(scheme + location.host + root.dataset.wsPath);
  let opened = false;
  socket.addEventListener("open", () => {
    opened = true;
    retryDelay = 500;
  });
  socket.addEventListener("message", (event) => handle(JSON.parse(event.data)));
  socket.addEventListener("close", (event) => {
    socket = null;
    if (finished || root.dataset.replaced) return;
    if (event.code === 4403) {
      showError(strings.refused);
      stopJanus();
      return setState("check");
    }
    if (opened || current) stopJanus();
    say(strings.reconnecting);
    retryTimer = setTimeout(connectSocket, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  });
}

// The browser knows when the network goes: drop both connections at once, and rejoin when it returns.
window.addEventListener("offline", () => {
  if (finished || !socket) return;
  say(strings.reconnecting);
  if (current) root.dataset.rejoins = String(Number(root.dataset.rejoins) + 1);
  stopJanus();
  socket.close();
});
window.addEventListener("online", () => {
  if (finished || socket || root.dataset.replaced) return;
  clearTimeout(retryTimer);
  retryDelay = 500;
  connectSocket();
});

function handle(frame) {
  switch (frame.type) {
    case "welcome":
      admitted = frame.admitted;
      if (admitted) {
        setState("connecting");
        say(strings.connecting);
      } else {
        setState("waiting");
        say(strings.waiting);
      }
      break;
    case "admitted":
      admitted = true;
      setState("connecting");
      say(strings.connecting);
      break;
    case "ticket":
      stopJanus();
      current = new JanusCall(frame.config, callUi());
      break;
    case "presence":
      if (isClinician) showPerson(frame);
      break;
    case "chat":
      chat.add(frame.name, frame.text);
      break;
    case "removed":
      finish("removed");
      break;
    case "ended":
      finish("ended");
      break;
    case "replaced":
      root.dataset.replaced = "1";
      stopJanus();
      showError(strings.replaced);
      break;
    case "error":
      showError(frame.message);
      break;
  }
}

// --- The clinician's waiting room and people in the call -------------------------------------

const names = new Map(); // user id -> name

function showPerson(frame) {
  if (frame.name) names.set(frame.user, frame.name);
  const name = names.get(frame.user) || "";
  for (const list of [$("lobby-list"), $("people-list")]) list.querySelector(`[data-user="${frame.user}"]`)?.remove();
  if (frame.state === "waiting") {
    personItem($("lobby-list"), frame.user, strings.let_in + " " + name, () => send({ type: "admit", user: frame.user }));
    say(strings.someone_waiting + " " + name);
  } else if (frame.state === "joined" || frame.state === "admitted") {
    personItem($("people-list"), frame.user, strings.remove + " " + name, () => send({ type: "remove", user: frame.user }), "secondary");
  }
  const waiting = $("lobby-list").children.length;
  $("lobby-empty").hidden = waiting > 0;
  $("admit-all").hidden = waiting < 2;
}

function personItem(list, user, text, onClick, kind) {
  const li = document.createElement("li");
  li.dataset.user = user;
  const button = document.createElement("button");
  button.type = "button";
  if (kind) button.className = kind;
  button.textContent = text;
  button.addEventListener("click", onClick);
  li.append(button);
  list.append(li);
}

if (isClinician) {
  $("admit-all").addEventListener("click", () => send({ type: "admit_all" }));
  $("end").addEventListener("click", () => {
    send({ type: "end" });
    finish("left");
  });
}

// --- Controls -------------------------------------------------------------------------------

function videoSender() {
  const pc = current && current.publisherPc();
  return pc ? pc.getSenders().find((s) => s.track === null || s.track.kind === "video") || null : null;
}

// A toggle keeps its label ("Mute", "Camera off"); aria-pressed says whether it is on (WAI-ARIA button pattern).
function toggle(button, kind) {
  const off = button.getAttribute("aria-pressed") !== "true";
  localStream?.getTracks().filter((t) => t.kind === kind).forEach((t) => { t.enabled = !off; });
  button.setAttribute("aria-pressed", String(off));
}

$("mute").addEventListener("click", (e) => toggle(e.currentTarget, "audio"));
$("camera").addEventListener("click", (e) => toggle(e.currentTarget, "video"));

$("audio-only").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const audioOnly = button.getAttribute("aria-pressed") !== "true";
  const sender = videoSender();
  if (audioOnly) {
    for (const track of localStream ? localStream.getVideoTracks() : []) {
      track.stop();
      localStream.removeTrack(track);
    }
    if (sender && !screenTrack) await sender.replaceTrack(null);
  } else {
    try {
      const track = (await navigator.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0];
      localStream.addTrack(track);
      if (sender && !screenTrack) await sender.replaceTrack(track);
    } catch (error) {
      showError(devices.explain(error));
      return;
    }
  }
  $("local").srcObject = localStream;
  button.setAttribute("aria-pressed", String(audioOnly));
});

const shareButton = $("share");
if (shareButton) {
  shareButton.addEventListener("click", async () => {
    if (screenTrack) {
      screenTrack.stop();
      screenTrack.dispatchEvent(new Event("ended"));
      return;
    }
    try {
      screenTrack = (await navigator.mediaDevices.getDisplayMedia({ video: true })).getVideoTracks()[0];
    } catch (_) {
      return; // the clinician closed the picker
    }
    // The screen replaces the camera in the clinician's one published feed, so everyone sees it at once.
    await videoSender()?.replaceTrack(screenTrack);
    shareButton.setAttribute("aria-pressed", "true");
    screenTrack.addEventListener("ended", async () => {
      screenTrack = null;
      const camera = localStream ? localStream.getVideoTracks()[0] || null : null;
      await videoSender()?.replaceTrack(camera);
      shareButton.setAttribute("aria-pressed", "false");
    }, { once: true });
  });
}

function finish(reason) {
  if (finished) return;
  finished = true;
  stopJanus();
  if (socket) socket.close();
  devices.stop();
  for (const track of localStream ? localStream.getTracks() : []) track.stop();
  if (reason === "ended" || reason === "removed") say(strings[reason]);
  setState("left");
  root.dataset.state = "left";
  $("group-left").hidden = false;
}

$("leave").addEventListener("click", () => finish("left"));
window.addEventListener("pagehide", () => { if (!finished) finish("left"); });

$("join").addEventListener("click", async () => {
  showError("");
  if (!devices.hasStream()) await devices.open();
  say(strings.connecting);
  connectSocket();
});
root.dataset.ready = "true"; // the buttons work from here on (a click before this module ran did nothing)
