// Relaxation tools: the breathing pacer and the one-step-at-a-time view for muscle relaxation and grounding.
// Without this script the pages still work: the pacer's numbered steps and every step are shown.

const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

// ?speed=N (1-20) runs the pacer N times faster: for browser tests and for trying a pattern quickly.
function secondMs() {
  const speed = Number(new URLSearchParams(window.location.search).get("speed") || "1");
  return 1000 / (Number.isFinite(speed) ? Math.min(Math.max(speed, 1), 20) : 1);
}

const SCALE = { in: 1, hold: 1, out: 0.4, rest: 0.4 };

function setupPacer(root) {
  const guide = document.querySelector("[data-pacer-guide]");
  const phases = [...guide.querySelectorAll("li[data-action]")].map((li) => ({
    action: li.dataset.action,
    label: li.dataset.label,
    seconds: Number(li.dataset.seconds),
  }));
  const rounds = Number(root.dataset.rounds) || 1;
  const startButton = root.querySelector("[data-pacer-start]");
  const modeButton = root.querySelector("[data-pacer-mode]");
  const circle = root.querySelector("[data-pacer-circle]");
  const phaseText = root.querySelector("[data-pacer-phase]");
  const countText = root.querySelector("[data-pacer-count]");
  const startLabel = startButton.textContent;
  const tick = secondMs();
  let textMode = reduceMotion.matches;
  let timer = null;
  let animation = null;
  let scale = SCALE.rest;

  function showMode() {
    root.classList.toggle("is-text", textMode);
    modeButton.textContent = textMode ? modeButton.dataset.labelMotion : modeButton.dataset.labelText;
    modeButton.setAttribute("aria-pressed", String(textMode));
    if (textMode && animation) animation.finish();
  }

  function stop(finished) {
    window.clearTimeout(timer);
    timer = null;
    if (animation) animation.cancel();
    startButton.textContent = startLabel;
    phaseText.textContent = finished ? phaseText.dataset.done : phaseText.dataset.ready;
    countText.textContent = "";
  }

  function run(round, index, second) {
    const phase = phases[index];
    if (second === 1) {
      phaseText.textContent = phase.label;
      const target = SCALE[phase.action] ?? scale;
      if (!textMode && target !== scale) {
        animation = circle.animate([{ transform: `scale(${scale})` }, { transform: `scale(${target})` }], {
          duration: phase.seconds * tick,
          easing: "ease-in-out",
          fill: "forwards",
        });
      }
      scale = target;
    }
    countText.textContent = String(second);
    timer = window.setTimeout(() => {
      if (second < phase.seconds) return run(round, index, second + 1);
      if (index + 1 < phases.length) return run(round, index + 1, 1);
      if (round + 1 < rounds) return run(round + 1, 0, 1);
      stop(true);
    }, tick);
  }

  startButton.addEventListener("click", () => {
    if (timer !== null) return stop(false);
    startButton.textContent = startButton.dataset.stop || "Stop";
    scale = SCALE.rest;
    run(0, 0, 1);
  });
  modeButton.addEventListener("click", () => {
    textMode = !textMode;
    showMode();
  });
  reduceMotion.addEventListener("change", () => {
    textMode = reduceMotion.matches;
    showMode();
  });
  root.hidden = false;
  showMode();
}

function setupStepper(list) {
  const section = list.closest("section");
  const steps = [...list.children];
  const nav = section.querySelector("[data-stepper-nav]");
  const status = section.querySelector("[data-stepper-status]");
  const back = nav.querySelector("[data-stepper-back]");
  const next = nav.querySelector("[data-stepper-next]");
  let current = 0;

  function show() {
    steps.forEach((step, i) => {
      step.hidden = i !== current;
    });
    status.textContent = list.dataset.of.replace("%(n)s", current + 1).replace("%(total)s", steps.length);
    back.disabled = current === 0;
    next.disabled = current === steps.length - 1;
  }

  back.addEventListener("click", () => {
    current = Math.max(0, current - 1);
    show();
  });
  next.addEventListener("click", () => {
    current = Math.min(steps.length - 1, current + 1);
    show();
  });
  list.classList.add("is-stepping");
  nav.hidden = false;
  status.hidden = false;
  show();
}

document.querySelectorAll("[data-pacer]").forEach(setupPacer);
document.querySelectorAll("[data-stepper]").forEach(setupStepper);
