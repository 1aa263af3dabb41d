// The guests' part of a call: one RTCPeerConnection per pair that includes a guest (a small full mesh).
// Frames are addressed to a participant id; both sides may offer, and glare is settled with the
// perfect negotiation pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example):
// the polite side (the larger participant id) rolls back its own offer, the impolite one ignores the other's.

const peers = new Map(); // participant id -> {pc, polite, makingOffer, ignoreOffer, figure, born, frame}
const STALLED_MS = 4000; // a pair still "new" this long after it was made is rebuilt

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

  function peer(frame) {
    const pid = frame.pid;
    let entry = peers.get(pid);
    if (entry) return entry;
    const pc = new RTCPeerConnection(getIce());
    entry = { pc, polite: me > pid, makingOffer: false, ignoreOffer: false, figure: tile(pid, labelFor(frame)) };
    entry.born = Date.now();
    entry.frame = frame;
    peers.set(pid, entry);
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
      if (pc.connectionState === "connected" && onConnected) onConnected(pid);
      if (pc.connectionState === "failed") pc.restartIce();
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

  async function onMesh(frame) {
    const entry = peer(frame);
    const pc = entry.pc;
    const data = frame.data || {};
    try {
      if (data.description) {
        const description = data.description;
        const collision = description.type === "offer" && (entry.makingOffer || pc.signalingState !== "stable");
        entry.ignoreOffer = !entry.polite && collision;
        if (entry.ignoreOffer) return;
        await pc.setRemoteDescription(description); // rolls back our own offer when polite
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

  return {
    setPid(pid) {
      me = pid;
    },
    // Say we are in the call. Everyone who hears it drops their connection to us and starts afresh, so we do
    // the same first: a second announce (a socket that reconnected, a second "admitted") otherwise left the
    // other side offering from a new connection to our old one, which never answered (issue #16).
    announce() {
      for (const pid of [...peers.keys()]) drop(pid);
      send({ type: "announce" });
    },
    // Someone entered the call: connect to them if the pair includes a guest, and answer so they connect to us.
    onAnnounce(frame) {
      if (!wanted(frame)) return;
      if (!frame.reply) {
        drop(frame.pid); // they (re)joined: a connection to their old page is dead
        send({ type: "announce", to: frame.pid, reply: true });
      }
      peer(frame);
    },
    onMesh(frame) {
      if (wanted(frame)) return onMesh(frame);
    },
    onLeft(pid) {
      drop(pid);
    },
    async replaceVideo(track) {
      for (const { pc } of peers.values()) {
        const sender = pc.getTransceivers().find((t) => t.receiver.track.kind === "video");
        if (sender) await sender.sender.replaceTrack(track);
      }
    },
    async readStats() {
      // A pair whose negotiation never got going (an offer lost in a race of announces) is rebuilt on both
      // sides: we drop ours and announce to them alone, so they drop theirs and answer afresh.
      for (const [pid, entry] of [...peers.entries()]) {
        if (entry.pc.connectionState === "new" && Date.now() - entry.born > STALLED_MS) {
          drop(pid);
          send({ type: "announce", to: pid });
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
    closeAll() {
      for (const pid of [...peers.keys()]) drop(pid);
    },
  };
}
