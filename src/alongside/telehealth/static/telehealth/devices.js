// The device check shared by one-to-one rooms and group calls (templates/telehealth/_device_check.html):
// camera preview, a microphone level meter, a test sound, and plain-words help for blocked or missing devices.

const $ = (id) => document.getElementById(id);

function readStrings() {
  const strings = {};
  for (const item of $("device-strings").querySelectorAll("li")) strings[item.dataset.key] = item.textContent.trim();
  return strings;
}

// onStream(stream) is called once the camera and/or microphone are open; say(text) shows a status line.
export function createDeviceCheck({ onStream, say }) {
  const strings = readStrings();
  const preview = $("preview");
  const meter = $("mic-level");
  const help = $("device-help");
  let stream = null;
  let audioContext = null;
  let meterTimer = null;

  function explain(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return strings.blocked;
    if (name === "NotFoundError" || name === "OverconstrainedError") return strings.missing;
    if (name === "NotReadableError" || name === "AbortError") return strings.busy;
    return strings.unsupported;
  }

  function startMeter() {
    const track = stream && stream.getAudioTracks()[0];
    if (!track || meterTimer) return;
    audioContext = audioContext || new AudioContext();
    const source = audioContext.createMediaStreamSource(new MediaStream([track]));
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    meterTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      meter.value = level;
      meter.textContent = level.toFixed(2);
    }, 100);
  }

  async function open() {
    help.hidden = true;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
      help.textContent = strings.unsupported;
      help.hidden = false;
      return false;
    }
    try {
      if (!stream) stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    } catch (error) {
      try {
        // A missing camera should not stop a call: try the microphone alone.
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (_) {
        stream = null;
      }
      help.textContent = explain(error);
      help.hidden = false;
      if (!stream) return false;
    }
    preview.srcObject = stream;
    onStream(stream);
    startMeter();
    if (help.hidden) say(strings.devices_ok);
    return true;
  }

  function playTestSound() {
    audioContext = audioContext || new AudioContext();
    const tone = audioContext.createOscillator();
    const gain = audioContext.createGain();
    tone.frequency.value = 440;
    gain.gain.value = 0.1;
    tone.connect(gain).connect(audioContext.destination);
    tone.start();
    tone.stop(audioContext.currentTime + 0.8);
  }

  function stop() {
    if (meterTimer) clearInterval(meterTimer);
    meterTimer = null;
  }

  $("test-devices").addEventListener("click", open);
  $("test-speaker").addEventListener("click", playTestSound);
  return { open, explain, stop, hasStream: () => Boolean(stream) };
}
