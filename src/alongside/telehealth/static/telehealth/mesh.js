// The guests' part of a call: one RTCPeerConnection per pair that includes a guest (a small full mesh).
// Frames are addressed to a participant id; both sides may offer, and glare is settled with the
// perfect negotiation pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example):
// the polite side (the larger participant id) rolls back its own offer, the impolite one ignores the other's.
//
// After a drop a pair is repaired in place, not rebuilt: a pair that fails, or stays "disconnected",
// restarts ICE (restartIce(), which makes a fresh offer through the same negotiation). When a page's
// signalling socket comes back it keeps its live pairs and says so to each peer ("keep"), who restarts
// ICE on its side; a peer that no longer has the pair answers "rebuild" and both start afresh. A pair
// still not connected some seconds after a restart is rebuilt, as a pair whose negotiation never began.

const peers = new Map(); // participant id -> {pc, polite, makingOffer, ignoreOffer, figure, ...}
const builds = new Map(); // participant id -> connections built for that pair on this page (a rebuild adds one)
const STALLED_MS = 4000; // a pair still "new" this long after it was made is rebuilt
const DISCONNECTED_MS = 2000; // a pair "disconnected" this long restarts ICE
const RESTART_MS = 10000; // a pair not connected this long after an ICE restart is rebuilt
const AWAY_MS = 30000; // a peer whose socket dropped keeps its pair this long, waiting for it to come back
const LIVE = ["connecting", "connected", "disconnected"];

function iceUfrag(sdp) {
  const match = /^a=ice-ufrag:(\S+)/m.exec(sdp || "");
  return match ? match[1] : "";
}

export function createMesh({ ownPid, role, send, getStream, getIce, videos, labelFor, onConnected }) {
  let me = ownPid;

  function wanted(frame) {
    // The client-clinician pair keeps its own connection; every pair with a guest is a mesh pair.
    return role === "guest" || frame.from === "guest";
  }

  function tile(pid, label) {
    const figure = document.createElement("figure");
    figure.className = "mesh-peer";
    figure.dataset.pid = pid;
    figure.dataset.framesDecoded = "0";
    figure.dataset.bytesReceived = "0";
    figure.dataset.iceRestarts = "0";
    const video = document.createElement("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("aria-label", label);
    const caption = document.createElement("figcaption");
    caption.textContent = label;
    figure.append(video, caption);
    videos.append(figure);
    return figure;
  }

  function alive(entry) {
    return LIVE.includes(entry.pc.connectionState);
  }

  function restart(entry) {
    if (entry.restartedAt) return; // one restart at a time; a stuck one is rebuilt (readStats)
    entry.restartedAt = Date.now();
    entry.pc.restartIce(); // "negotiationneeded" follows, and its offer carries new ICE credentials
  }

  function peer(frame) {
    const pid = frame.pid;
    let entry = peers.get(pid);
    if (entry) return entry;
    const pc = new RTCPeerConnection(getIce());
    entry = { pc, polite: me > pid, makingOffer: false, ignoreOffer: false, figure: tile(pid, labelFor(frame)) };
    Object.assign(entry, { born: Date.now(), frame, ufrag: "", restarts: 0, restartedAt: 0, downAt: 0, away: 0 });
    entry.kept = false;
    peers.set(pid, entry);
    builds.set(pid, (builds.get(pid) || 0) + 1);
    entry.figure.dataset.builds = String(builds.get(pid));
    const stream = getStream();
    if (stream) for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.addEventListener("negotiationneeded", async () => {
      try {
        entry.makingOffer = true;
        await pc.setLocalDescription();
        send({ type: "mesh", to: pid, data: { description: pc.localDescription.toJSON() } });
      } catch (error) {
        console.warn("mesh offer", error);
      } finally {
        entry.makingOffer = false;
      }
    });
    pc.addEventListener("icecandidate", (event) => {
      if (event.candidate) send({ type: "mesh", to: pid, data: { candidate: event.candidate.toJSON() } });
    });
    pc.addEventListener("track", (event) => {
      const video = entry.figure.querySelector("video");
      if (video.srcObject !== event.streams[0]) video.srcObject = event.streams[0] || new MediaStream([event.track]);
    });
    pc.addEventListener("connectionstatechange", () => {
      const state = pc.connectionState;
      if (state === "connected") {
        entry.restartedAt = 0;
        entry.downAt = 0;
        if (onConnected) onConnected(pid);
      } else if (state === "disconnected") {
        entry.downAt = entry.downAt || Date.now(); // often back by itself; restarted if not (readStats)
      } else if (state === "failed") {
        restart(entry);
      }
    });
    return entry;
  }

  function drop(pid) {
    const entry = peers.get(pid);
    if (!entry) return;
    entry.pc.close();
    entry.figure.remove();
    peers.delete(pid);
  }

  function rebuild(pid) {
    // Drop our end and announce to them alone: they drop theirs and answer afresh.
    drop(pid);
    send({ type: "announce", to: pid });
  }

  // The peer's socket came back and it kept this pair: restart ICE from our side (or ask for a rebuild).
  async function onKeep(frame) {
    const entry = peers.get(frame.pid);
    if (!entry || !alive(entry)) {
      drop(frame.pid);
      send({ type: "mesh", to: frame.pid, data: { rebuild: true } });
      return;
    }
    entry.kept = true; // their announce that follows keeps the pair instead of starting afresh
    entry.away = 0;
    delete entry.figure.dataset.away;
    entry.restartedAt = 0;
    if (entry.pc.signalingState === "have-local-offer") {
      // An offer made while their socket was away never reached them.
      await entry.pc.setLocalDescription({ type: "rollback" }).catch(() => {});
    }
    restart(entry);
  }

  async function onMesh(frame) {
    const data = frame.data || {};
    if (data.keep) return onKeep(frame);
    if (data.rebuild || data.bye) return drop(frame.pid);
    const entry = peer(frame);
    const pc = entry.pc;
    try {
      if (data.description) {
        const description = data.description;
        const collision = description.type === "offer" && (entry.makingOffer || pc.signalingState !== "stable");
        entry.ignoreOffer = !entry.polite && collision;
        if (entry.ignoreOffer) return;
        await pc.setRemoteDescription(description); // rolls back our own offer when polite
        const ufrag = iceUfrag(description.sdp);
        if (entry.ufrag && ufrag && ufrag !== entry.ufrag) {
          entry.restarts += 1; // their ICE credentials changed: an ICE restart, from either side
          entry.figure.dataset.iceRestarts = String(entry.restarts);
        }
        entry.ufrag = ufrag || entry.ufrag;
        if (description.type === "offer") {
          await pc.setLocalDescription();
          send({ type: "mesh", to: frame.pid, data: { description: pc.localDescription.toJSON() } });
        }
      } else if (data.candidate) {
        try {
          await pc.addIceCandidate(data.candidate);
        } catch (error) {
          if (!entry.ignoreOffer) throw error;
        }
      }
    } catch (error) {
      console.warn("mesh signal", error);
    }
  }

  function closeAll() {
    for (const pid of [...peers.keys()]) {
      send({ type: "mesh", to: pid, data: { bye: true } }); // we are leaving: no need to wait for us
      drop(pid);
    }
  }

  window.addEventListener("pagehide", closeAll); // before the page's socket closes: peers drop us at once

  return {
    setPid(pid) {
      me = pid;
    },
    // Say we are in the call. On a first entry there is nothing to keep. After our socket came back we
    // keep every live pair and tell its peer ("keep"; they restart ICE), and drop the others: everyone
    // who hears the announce without a "keep" before it drops their connection to us and starts afresh.
    announce() {
      for (const [pid, entry] of [...peers.entries()]) {
        if (!alive(entry)) {
          drop(pid);
          continue;
        }
        entry.restartedAt = Date.now(); // rebuilt if not connected again soon
        if (entry.pc.signalingState === "have-local-offer") {
          // An offer made while our socket was down never left: take it back, so it is made again now.
          entry.pc.setLocalDescription({ type: "rollback" }).catch(() => {});
        }
        send({ type: "mesh", to: pid, data: { keep: true } });
      }
      send({ type: "announce" });
    },
    // Someone entered the call: connect to them if the pair includes a guest, and answer so they connect to us.
    onAnnounce(frame) {
      if (!wanted(frame)) return;
      if (!frame.reply) {
        const kept = peers.get(frame.pid);
        if (kept && kept.kept) {
          kept.kept = false; // they came back and kept the pair: ICE is restarting (onKeep)
          send({ type: "announce", to: frame.pid, reply: true });
          return;
        }
        drop(frame.pid); // they (re)joined: a connection to their old page is dead
        send({ type: "announce", to: frame.pid, reply: true });
      }
      peer(frame);
    },
    onMesh(frame) {
      if (wanted(frame)) return onMesh(frame);
    },
    // Their socket closed: a network drop keeps the pair for a while (they say "bye" when they leave).
    onLeft(pid) {
      const entry = peers.get(pid);
      if (!entry) return;
      if (!alive(entry)) return drop(pid);
      entry.away = entry.away || Date.now();
      entry.figure.dataset.away = "1";
    },
    async replaceVideo(track) {
      for (const { pc } of peers.values()) {
        const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === "video");
        if (sender) await sender.sender.replaceTrack(track);
      }
    },
    async readStats() {
      const now = Date.now();
      for (const [pid, entry] of [...peers.entries()]) {
        const state = entry.pc.connectionState;
        if (state === "connected") {
          entry.restartedAt = 0; // a restart on a connection that never broke fires no state change
          entry.downAt = 0;
        }
        if (entry.away && (now - entry.away > AWAY_MS || !alive(entry))) {
          drop(pid); // they did not come back
        } else if (state === "new" && now - entry.born > STALLED_MS) {
          rebuild(pid); // the negotiation never got going (an offer lost in a race of announces)
        } else if (entry.restartedAt && state !== "connected" && now - entry.restartedAt > RESTART_MS) {
          rebuild(pid); // an ICE restart did not bring it back
        } else if (state === "disconnected" && entry.downAt && now - entry.downAt > DISCONNECTED_MS) {
          restart(entry);
        }
      }
      for (const { pc, figure } of peers.values()) {
        const report = await pc.getStats();
        let frames = 0;
        let bytes = 0;
        report.forEach((stat) => {
          if (stat.type === "inbound-rtp") {
            bytes += stat.bytesReceived || 0;
            if (stat.kind === "video") frames += stat.framesDecoded || 0;
          }
        });
        figure.dataset.state = pc.connectionState;
        figure.dataset.framesDecoded = String(frames);
        figure.dataset.bytesReceived = String(bytes);
      }
    },
    closeAll,
  };
}
