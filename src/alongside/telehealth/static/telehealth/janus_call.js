// The Janus side of a group call: a small client of the Janus JSON protocol (VideoRoom plugin) over its
// WebSocket. One JanusCall is one Janus session: a publisher handle for this page's media and a subscriber
// handle per other person's feed, with the ICE restart described in group.js. The page (group.js) owns
// everything else and hands the call what it needs as `ui`: the tiles, the local tracks, and what to do
// when the session is lost or the room ends.

export class JanusCall {
  constructor(config, ui) {
    this.config = config;
    this.ui = ui; // what the page gives the call: see group.js, callUi()
    this.pending = new Map(); // transaction -> {resolve, reject, wantEvent}
    this.handles = new Map(); // handle id -> {onEvent, pc, queued}
    this.feeds = new Map(); // publisher id -> handle id
    this.sessionId = null;
    this.publisher = null;
    this.privateId = null;
    this.stopped = false;
    this.restarting = null; // the PeerConnections being ICE-restarted, while a restart runs
    this.downTimer = null;
    this.restartTimer = null;
    this.ws = new WebSocket(config.url, "janus-protocol");
    this.ws.addEventListener("message", (event) => this.onMessage(JSON.parse(event.data)));
    this.ws.addEventListener("close", () => { if (!this.stopped) this.ui.lost(this); });
    this.ws.addEventListener("open", () => this.start().catch(() => { if (!this.stopped) this.ui.refused(); }));
  }

  send(body, wantEvent = false) {
    const transaction = Math.random().toString(36).slice(2) + Date.now().toString(36);
    const message = { ...body, transaction, token: this.config.token };
    if (this.sessionId !== null && body.janus !== "create") message.session_id = this.sessionId;
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error("closed"));
      this.pending.set(transaction, { resolve, reject, wantEvent });
      this.ws.send(JSON.stringify(message));
    });
  }

  onMessage(msg) {
    const waiting = msg.transaction ? this.pending.get(msg.transaction) : undefined;
    if (waiting) {
      if (msg.janus === "ack" && waiting.wantEvent) return; // the plugin's answer follows as an event
      this.pending.delete(msg.transaction);
      if (msg.janus === "error") waiting.reject(new Error(msg.error?.reason || "janus error"));
      else if (msg.plugindata?.data?.error) waiting.reject(new Error(msg.plugindata.data.error));
      else waiting.resolve(msg);
      return;
    }
    const handle = this.handles.get(msg.sender);
    if (!handle) return;
    if (msg.janus === "trickle") {
      const candidate = msg.candidate;
      if (!candidate || candidate.completed) return;
      if (handle.pc && handle.pc.remoteDescription) handle.pc.addIceCandidate(candidate).catch(() => {});
      else handle.queued.push(candidate);
    } else if (msg.janus === "event" && handle.onEvent) {
      handle.onEvent(msg);
    }
  }

  async attach(onEvent) {
    const answer = await this.send({ janus: "attach", plugin: "janus.plugin.videoroom" });
    this.handles.set(answer.data.id, { onEvent, pc: null, queued: [] });
    return answer.data.id;
  }

  message(handleId, body, jsep) {
    const msg = { janus: "message", handle_id: handleId, body };
    if (jsep) msg.jsep = { type: jsep.type, sdp: jsep.sdp };
    return this.send(msg, true);
  }

  peer(handleId) {
    const pc = new RTCPeerConnection(this.config.rtc);
    pc.onicecandidate = (event) => {
      const c = event.candidate;
      const candidate = c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } : { completed: true };
      this.send({ janus: "trickle", handle_id: handleId, candidate }).catch(() => {});
    };
    pc.addEventListener("connectionstatechange", () => this.pcState());
    this.handles.get(handleId).pc = pc;
    return pc;
  }

  async remoteDescription(handleId, jsep) {
    const handle = this.handles.get(handleId);
    await handle.pc.setRemoteDescription(jsep);
    for (const candidate of handle.queued.splice(0)) await handle.pc.addIceCandidate(candidate).catch(() => {});
  }

  async start() {
    this.sessionId = (await this.send({ janus: "create" })).data.id;
    // A keep-alive Janus refuses (the session expired) or cannot send means the session is gone: rejoin.
    this.keepalive = setInterval(() => this.send({ janus: "keepalive" }).catch(() => this.ui.lost(this)), 25000);
    this.publisher = await this.attach((msg) => this.onPublisherEvent(msg));
    const joined = await this.message(this.publisher, {
      request: "join",
      ptype: "publisher",
      room: this.config.room,
      pin: this.config.pin,
      token: this.config.room_token,
      id: this.config.feed,
      display: this.config.display,
    });
    const data = joined.plugindata.data;
    this.privateId = data.private_id;
    const pc = this.peer(this.publisher);
    pc.addEventListener("connectionstatechange", () => this.ui.publisherState(this, pc.connectionState));
    for (const track of this.ui.tracks()) pc.addTrack(track, this.ui.stream());
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const answer = await this.message(this.publisher, { request: "publish" }, offer);
    await this.remoteDescription(this.publisher, answer.jsep);
    this.ui.showUfrag(this.ui.root, pc);
    for (const info of data.publishers || []) this.subscribe(info).catch(() => {});
  }

  onPublisherEvent(msg) {
    const data = msg.plugindata?.data || {};
    if (data.videoroom === "destroyed") {
      this.ui.ended();
      return;
    }
    for (const info of data.publishers || []) this.subscribe(info).catch(() => {});
    for (const key of ["leaving", "unpublished", "kicked"]) {
      if (data[key] !== undefined && data[key] !== "ok") this.dropFeed(data[key]);
    }
  }

  async subscribe(info) {
    if (this.feeds.has(info.id) || this.stopped) return;
    this.feeds.set(info.id, null); // claimed before the first await: the same feed may be announced twice
    const handleId = await this.attach((msg) => {
      if (msg.jsep?.type === "offer") this.answerOffer(handleId, msg.jsep).catch(() => {}); // Janus renegotiates
    });
    if (!this.feeds.has(info.id) || this.stopped) {
      this.send({ janus: "detach", handle_id: handleId }).catch(() => {}); // it left while we attached
      return;
    }
    this.feeds.set(info.id, handleId);
    const tile = this.ui.tile(info.id, info.display || "");
    const pc = this.peer(handleId);
    const stream = new MediaStream();
    pc.ontrack = (event) => {
      stream.addTrack(event.track);
      tile.querySelector("video").srcObject = stream;
    };
    const joined = await this.message(handleId, {
      request: "join",
      ptype: "subscriber",
      room: this.config.room,
      pin: this.config.pin,
      token: this.config.room_token,
      private_id: this.privateId,
      streams: [{ feed: info.id }],
    });
    await this.answerOffer(handleId, joined.jsep);
  }

  async answerOffer(handleId, jsep) {
    const pc = this.handles.get(handleId)?.pc;
    if (!pc) return;
    await this.remoteDescription(handleId, jsep);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const feed = [...this.feeds].find(([, h]) => h === handleId)?.[0];
    const tile = feed === undefined ? null : this.ui.tiles.querySelector(`[data-feed="${feed}"]`);
    if (tile) this.ui.showUfrag(tile, pc);
    await this.message(handleId, { request: "start", room: this.config.room }, answer);
  }

  pcs() {
    return [...this.handles.values()].map((h) => h.pc).filter((pc) => pc && pc.connectionState !== "closed");
  }

  // Any PeerConnection failed, or disconnected for 2 s: restart ICE. During a restart: done once all are connected.
  pcState() {
    if (this.stopped || !this.ui.isCurrent(this)) return;
    const pcs = this.pcs();
    if (this.restarting) {
      if ([...this.restarting].every((pc) => pc.connectionState === "connected" || pc.connectionState === "closed")) {
        this.restarting = null;
        clearTimeout(this.restartTimer);
        this.ui.root.dataset.iceRestarted = String(Number(this.ui.root.dataset.iceRestarted || 0) + 1);
        if (this.publisherPc()?.connectionState === "connected") this.ui.say("in_call");
      }
      return;
    }
    clearTimeout(this.downTimer);
    if (pcs.some((pc) => pc.connectionState === "failed")) this.restartIce();
    else if (pcs.some((pc) => pc.connectionState === "disconnected")) this.downTimer = setTimeout(() => this.restartIce(), 2000);
  }

  async restartIce() {
    if (this.stopped || this.restarting || !this.ui.isCurrent(this)) return;
    this.restarting = new Set(this.pcs());
    this.ui.root.dataset.iceRestarts = String(Number(this.ui.root.dataset.iceRestarts || 0) + 1);
    this.ui.say("reconnecting");
    this.restartTimer = setTimeout(() => { if (this.restarting && this.ui.isCurrent(this)) this.ui.rejoin(); }, 10000);
    try {
      await this.send({ janus: "keepalive" }); // is the Janus session still there? If not, rejoin at once
    } catch (_) {
      this.ui.lost(this);
      return;
    }
    const jobs = [this.restartPublisher()];
    for (const handleId of this.feeds.values()) if (handleId !== null) jobs.push(this.restartSubscriber(handleId));
    await Promise.all(jobs.map((job) => job.catch(() => {})));
    this.pcState(); // a restart that changed no state (already connected) is done too
  }

  async restartPublisher() {
    const pc = this.publisherPc();
    if (!pc) return;
    const offer = await pc.createOffer({ iceRestart: true });
    await pc.setLocalDescription(offer);
    const answer = await this.message(this.publisher, { request: "configure" }, offer);
    if (answer.jsep) await this.remoteDescription(this.publisher, answer.jsep);
    this.ui.showUfrag(this.ui.root, pc);
  }

  async restartSubscriber(handleId) {
    const reply = await this.message(handleId, { request: "configure", restart: true });
    if (reply.jsep) await this.answerOffer(handleId, reply.jsep);
  }

  dropFeed(feed) {
    const handleId = this.feeds.get(feed);
    this.feeds.delete(feed);
    if (handleId !== undefined && handleId !== null) {
      this.handles.get(handleId)?.pc?.close();
      this.handles.delete(handleId);
      this.send({ janus: "detach", handle_id: handleId }).catch(() => {});
    }
    this.ui.tiles.querySelector(`[data-feed="${feed}"]`)?.remove();
    this.ui.root.dataset.remoteCount = String(this.ui.tiles.querySelectorAll("[data-feed]").length);
  }

  publisherPc() {
    return this.handles.get(this.publisher)?.pc || null;
  }

  stop() {
    this.stopped = true;
    clearInterval(this.keepalive);
    clearTimeout(this.downTimer);
    clearTimeout(this.restartTimer);
    for (const handle of this.handles.values()) handle.pc?.close();
    if (this.ws.readyState === WebSocket.OPEN) {
      if (this.publisher !== null) this.message(this.publisher, { request: "leave" }).catch(() => {});
      this.send({ janus: "destroy" }).catch(() => {});
      setTimeout(() => this.ws.close(), 200);
    } else {
      this.ws.close();
    }
    for (const tile of this.ui.tiles.querySelectorAll("[data-feed]")) tile.remove();
    this.ui.root.dataset.remoteCount = "0";
  }
}

