// A plain-words connection quality from getStats, shared by one-to-one rooms and group calls.
// Video frames and bytes received, round trip and loss across one or more peer connections' reports.

export function createQuality() {
  let lastBytes = 0;
  let lastLost = 0;
  let lastPackets = 0;

  // reports: RTCStatsReport[]; returns {frames, bytes, route, level: "good" | "fair" | "poor"}.
  function read(reports) {
    let frames = 0;
    let bytes = 0;
    let lost = 0;
    let packets = 0;
    let rtt = null;
    let route = "";
    for (const report of reports) {
      report.forEach((stat) => {
        if (stat.type === "inbound-rtp") {
          bytes += stat.bytesReceived || 0;
          lost += stat.packetsLost || 0;
          packets += stat.packetsReceived || 0;
          if (stat.kind === "video") frames += stat.framesDecoded || 0;
        } else if (stat.type === "candidate-pair" && stat.nominated && stat.state === "succeeded") {
          if (stat.currentRoundTripTime !== undefined) rtt = Math.max(rtt || 0, stat.currentRoundTripTime);
          const local = report.get(stat.localCandidateId);
          if (local) route = local.candidateType; // "relay" when the call goes through TURN
        }
      });
    }
    const newLost = Math.max(0, lost - lastLost);
    const newPackets = packets - lastPackets;
    const lossRate = newPackets > 0 ? newLost / (newPackets + newLost) : 0;
    let level = "good";
    if (bytes === lastBytes || (rtt !== null && rtt > 0.6) || lossRate > 0.1) level = "poor";
    else if ((rtt !== null && rtt > 0.25) || lossRate > 0.03) level = "fair";
    lastBytes = bytes;
    lastLost = lost;
    lastPackets = packets;
    return { frames, bytes, route, level };
  }

  function reset() {
    lastBytes = 0;
    lastLost = 0;
    lastPackets = 0;
  }
  return { read, reset };
}
