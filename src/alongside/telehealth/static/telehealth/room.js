// One appointment's video room: device check, waiting room, and a peer-to-peer call.
// Signalling goes over /ws/telehealth/<appointment>/; between client and clinician the clinician
// always makes the offers. Each pair with a guest (interpreter, co-therapist) is a mesh pair (mesh.js).

import { createChat } from "./chat.js";
import { createDeviceCheck } from "./devices.js";
import { createMesh } from "./mesh.js";
import { createQuality } from "./quality.js";
import { createStatus } from "./status.js";

const root = document.getElementById("room");
const role = root.dataset.role;
const isClinician = role === "clinician";
const isGuest = role === "guest";
const $ = (id) => document.getElementById(id);
const strings = {};
for (const item of $("room-strings").querySelectorAll("li")) strings[item.dataset.key] = item.textContent.trim();

const statusLine = $("room-status");
const errors = $("room-errors");
const { say, showError } = createStatus(statusLine, errors);
const call = $("call");
const remoteVideo = $("remote");
const localVideo = $("local");
const quality = $("quality");

let localStream = null;
let socket = null;
let pc = null;
let iceConfig = { iceServers: [], iceTransportPolicy: "all" };
let admitted = false;
let ended = false;
let makingOffer = false;
let retryDelay = 500;
let statsTimer = null;
let screenTrack = null;
let pendingCandidates = [];
let reported = false;
let retryTimer = null;

const mesh = createMesh({
  ownPid: "",
  role,
  send: (frame) => send(frame),
  getStream: () => localStream,
  getIce: () => iceConfig,
  videos: document.querySelector("#call .videos"),
  labelFor: (frame) => label(frame),
  onConnected: () => say(strings.in_call),
});
if (isGuest) remoteVideo.hidden = true; // a guest's videos are all mesh tiles

// Who sent a frame, in words: a guest by the name the clinician gave and their role.
function label(frame) {
  const who = frame.from || frame.role; // relayed frames say "from", presence says "role"
  if (who === "guest") {
    const kind = strings["guest_" + frame.guest_role] || strings.guest;
    return frame.name ? kind + " · " + frame.name : kind;
  }
  if (isGuest) return strings["label_" + who] || "";
  return strings.them;
}


function setState(state) {
  root.dataset.state = state;
  $("device-check").hidden = state !== "check";
  $("waiting").hidden = state !== "waiting" && !(isClinician && state === "call" && !admitted);
  call.hidden = state !== "call";
  $("ended").hidden = state !== "ended";
}

// --- Device check, chat and quality (shared with group calls) ---------------------------

const devices = createDeviceCheck({
  onStream: (stream) => {
    localStream = stream;
    localVideo.srcObject = stream;
  },
  say,
});
const explain = devices.explain;
const openDevices = devices.open;
const chat = createChat({ send: (frame) => send(frame), you: strings.you });
const qualityMeter = createQuality();

// --- Signalling -----------------------------------------------------------------------

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
    if (ended) return;
    if (!opened && event.code === 4403) {
      showError(strings.refused);
      return setState("check");
    }
    if (event.code === 4403 || root.dataset.replaced) return;
    say(strings.reconnecting);
    retryTimer = setTimeout(connectSocket, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  });
}

// The browser knows when the network goes: drop the socket at once instead of waiting for a
// timeout, and come back (with an ICE restart) as soon as it returns.
window.addEventListener("offline", () => {
  if (!ended && socket) {
    say(strings.reconnecting);
    socket.close();
  }
});
window.addEventListener("online", () => {
  if (ended || socket || root.dataset.replaced) return;
  clearTimeout(retryTimer);
  retryDelay = 500;
  connectSocket();
});

async function handle(frame) {
  switch (frame.type) {
    case "welcome":
      iceConfig = frame.ice;
      admitted = frame.admitted;
      mesh.setPid(frame.pid);
      if (pc) pc.setConfiguration(iceConfig); // fresh TURN credentials after a reconnect
      if (isClinician) {
        setState("call");
        showWaiting(frame.waiting && !admitted);
        say(admitted ? strings.in_call : strings.open);
        send({ type: "hello" });
        mesh.announce();
        startStats();
      } else if (admitted) {
        enterCall();
      } else {
        setState("waiting");
        say(strings.waiting);
      }
      break;
    case "presence":
      if (frame.role === "guest") {
        if (frame.state === "left") mesh.onLeft(frame.pid);
        if (isClinician) showGuestWaiting(frame);
      } else if (frame.state === "left") {
        mesh.onLeft(frame.pid);
      }
      if (isClinician && frame.role === "client") {
        if (frame.state === "left") {
          showWaiting(false);
          $("waiting-who").textContent = strings.client_left;
          say(strings.client_left);
        } else if (!admitted) {
          showWaiting(true);
        } else {
          say(strings.in_call);
        }
      }
      break;
    case "admitted":
      if (frame.pid) {
        guestAdmitted(frame.pid);
        break;
      }
      admitted = true;
      if (isClinician) {
        showWaiting(false);
        say(strings.in_call);
      } else {
        enterCall();
      }
      break;
    case "hello":
    case "ready":
    case "restart":
      if (isClinician && frame.from === "client") {
        if (frame.fresh && pc) {
          // The client's page was reloaded: its new connection needs a new one here too.
          pc.close();
          pc = null;
          reported = false;
        }
        await offer(Boolean(pc));
      } else if (!isClinician && frame.type === "hello" && admitted) {
        send({ type: "ready", fresh: !pc });
      }
      break;
    case "signal":
      await onSignal(frame.data || {});
      break;
    case "chat":
      chat.add(label(frame), frame.text);
      break;
    case "announce":
      mesh.onAnnounce(frame);
      break;
    case "mesh":
      await mesh.onMesh(frame);
      break;
    case "ended":
      finish();
      break;
    case "replaced":
      root.dataset.replaced = "1";
      showError(strings.replaced);
      break;
    case "error":
      showError(frame.message);
      break;
  }
}

function showWaiting(waiting) {
  $("waiting").hidden = !waiting && admitted;
  $("admit").hidden = !waiting;
  $("waiting-who").textContent = waiting ? strings.client_waiting : strings.client_absent;
  if (waiting) say(strings.client_waiting);
}

// The clinician's list of guests waiting to be let in (outside guests with a join link).
function showGuestWaiting(frame) {
  const list = $("guests-waiting");
  if (!list || !frame.guest) return;
  const old = list.querySelector(`[data-pid="${frame.pid}"]`);
  if (old) old.remove();
  if (frame.state === "waiting") {
    const li = document.createElement("li");
    li.dataset.pid = frame.pid;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = strings.let_in + " " + label(frame);
    button.addEventListener("click", () => send({ type: "admit", guest: frame.guest }));
    li.append(button);
    list.append(li);
    say(strings.guest_waiting + " " + label(frame));
  }
  list.closest("section").hidden = list.children.length === 0;
}

function guestAdmitted(pid) {
  const item = $("guests-waiting") && $("guests-waiting").querySelector(`[data-pid="${pid}"]`);
  if (item) item.remove();
  if ($("guests-waiting")) $("guests-waiting").closest("section").hidden = $("guests-waiting").children.length === 0;
}

function enterCall() {
  if (pc) call.dataset.iceRestarts = String(Number(call.dataset.iceRestarts) + 1);
  setState("call");
  say(strings.connecting);
  if (!isGuest) send({ type: "ready", fresh: !pc });
  mesh.announce();
  startStats();
}

// --- The peer connection ----------------------------------------------------------------

function ensurePeer() {
  if (pc) return pc;
  pc = new RTCPeerConnection(iceConfig);
  if (localStream) for (const track of localStream.getTracks()) pc.addTrack(track, localStream);
  pc.addEventListener("icecandidate", (event) => {
    if (event.candidate) send({ type: "signal", data: { candidate: event.candidate.toJSON() } });
  });
  pc.addEventListener("track", (event) => {
    if (remoteVideo.srcObject !== event.streams[0]) remoteVideo.srcObject = event.streams[0] || new MediaStream([event.track]);
  });
  pc.addEventListener("connectionstatechange", () => {
    const state = pc.connectionState;
    if (state === "connected") {
      say(strings.in_call);
      if (!reported) {
        reported = true;
        send({ type: "connected" });
      }
    } else if (state === "failed" || state === "disconnected") {
      say(strings.reconnecting);
      restartIce();
    }
  });
  startStats();
  return pc;
}

function startStats() {
  if (!statsTimer) statsTimer = setInterval(readStats, 1000);
}

function restartIce() {
  call.dataset.iceRestarts = String(Number(call.dataset.iceRestarts) + 1);
  if (isClinician) offer(true);
  else send({ type: "restart" });
}

async function offer(iceRestart) {
  if (!admitted || makingOffer) return;
  const peer = ensurePeer();
  makingOffer = true;
  try {
    if (peer.signalingState !== "stable") await peer.setLocalDescription({ type: "rollback" });
    const description = await peer.createOffer({ iceRestart });
    await peer.setLocalDescription(description);
    send({ type: "signal", data: { description: peer.localDescription.toJSON() } });
  } catch (error) {
    showError(String(error));
  } finally {
    makingOffer = false;
  }
}

async function onSignal(data) {
  const peer = ensurePeer();
  if (data.description) {
    const description = data.description;
    if (description.type === "offer" && isClinician) return; // only the clinician offers
    await peer.setRemoteDescription(description);
    for (const candidate of pendingCandidates.splice(0)) await peer.addIceCandidate(candidate).catch(() => {});
    if (description.type === "offer") {
      await peer.setLocalDescription(await peer.createAnswer());
      send({ type: "signal", data: { description: peer.localDescription.toJSON() } });
    }
  } else if (data.candidate) {
    if (!peer.remoteDescription) pendingCandidates.push(data.candidate);
    else await peer.addIceCandidate(data.candidate).catch(() => {});
  }
  if (peer.connectionState === "connected") say(strings.in_call);
}

// getStats: video frames and bytes received, round trip and loss give a plain-words quality.
async function readStats() {
  await mesh.readStats();
  if (!pc) return;
  const { frames, bytes, route, level } = qualityMeter.read([await pc.getStats()]);
  if (route) call.dataset.route = route; // "relay" when the call goes through TURN
  call.dataset.framesDecoded = String(frames);
  call.dataset.bytesReceived = String(bytes);
  if (pc.connectionState === "connected" && call.dataset.quality !== level) {
    call.dataset.quality = level;
    quality.textContent = strings["quality_" + level];
  }
}

// --- Controls ---------------------------------------------------------------------------

// A toggle keeps its name and says its state with aria-pressed ("Mute, pressed" = muted).
function toggle(button, on) {
  button.setAttribute("aria-pressed", on ? "true" : "false");
}

function announceMedia() {
  const audio = localStream && localStream.getAudioTracks().some((t) => t.enabled);
  const video = localStream && localStream.getVideoTracks().some((t) => t.enabled && t.readyState === "live");
  send({ type: "media", audio: Boolean(audio), video: Boolean(video) || Boolean(screenTrack) });
}

$("mute").addEventListener("click", (event) => {
  const tracks = localStream ? localStream.getAudioTracks() : [];
  const muted = tracks.length > 0 && tracks[0].enabled;
  for (const track of tracks) track.enabled = !muted;
  toggle(event.currentTarget, muted);
  announceMedia();
});

$("camera").addEventListener("click", (event) => {
  const tracks = localStream ? localStream.getVideoTracks() : [];
  const off = tracks.length > 0 && tracks[0].enabled;
  for (const track of tracks) track.enabled = !off;
  toggle(event.currentTarget, off);
  announceMedia();
});

$("audio-only").addEventListener("click", async (event) => {
  const button = event.currentTarget;
  const audioOnly = button.getAttribute("aria-pressed") !== "true";
  const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === "video");
  if (audioOnly) {
    for (const track of localStream ? localStream.getVideoTracks() : []) {
      track.stop();
      localStream.removeTrack(track);
    }
    if (sender) await sender.replaceTrack(null);
    await mesh.replaceVideo(null);
  } else {
    try {
      const fresh = await navigator.mediaDevices.getUserMedia({ video: true });
      const track = fresh.getVideoTracks()[0];
      localStream.addTrack(track);
      const empty = pc && pc.getTransceivers().find((t) => t.receiver.track.kind === "video");
      if (empty) await empty.sender.replaceTrack(track);
      await mesh.replaceVideo(track);
    } catch (error) {
      showError(explain(error));
      return;
    }
  }
  localVideo.srcObject = localStream;
  button.setAttribute("aria-pressed", audioOnly ? "true" : "false");
  announceMedia();
});

const shareButton = $("share");
if (shareButton) {
  shareButton.addEventListener("click", async () => {
    const transceiver = pc && pc.getTransceivers().find((t) => t.receiver.track.kind === "video");
    if (screenTrack) {
      screenTrack.stop();
      return;
    }
    try {
      const screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
      screenTrack = screen.getVideoTracks()[0];
    } catch (_) {
      return; // the clinician closed the picker
    }
    if (transceiver) await transceiver.sender.replaceTrack(screenTrack);
    await mesh.replaceVideo(screenTrack);
    toggle(shareButton, true);
    screenTrack.addEventListener("ended", async () => {
      const camera = localStream ? localStream.getVideoTracks()[0] || null : null;
      if (transceiver) await transceiver.sender.replaceTrack(camera);
      await mesh.replaceVideo(camera);
      screenTrack = null;
      toggle(shareButton, false);
    });
  });
}

if (isClinician) $("admit").addEventListener("click", () => send({ type: "admit" }));

$("leave").addEventListener("click", () => {
  if (isClinician) send({ type: "end" });
  finish();
});

function finish() {
  ended = true;
  if (pc) pc.close();
  pc = null;
  mesh.closeAll();
  if (socket) socket.close();
  if (statsTimer) clearInterval(statsTimer);
  devices.stop();
  for (const track of localStream ? localStream.getTracks() : []) track.stop();
  say(strings.ended);
  setState("ended");
}

$("join").addEventListener("click", async () => {
  showError("");
  if (!localStream) await openDevices();
  say(strings.connecting);
  connectSocket();
});

window.addEventListener("pagehide", () => {
  if (socket) socket.close();
});
