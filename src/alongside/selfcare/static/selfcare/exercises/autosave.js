// Save the step's draft as the client types (the same POST as the Next button, with nav=autosave).
// Without this module every step still saves on Next, Back and "Save and leave".

const DELAY_MS = 1500;

function setup(form) {
  const status = form.querySelector(".autosave-status");
  let timer = null;
  const save = async () => {
    const body = new FormData(form);
    body.set("nav", "autosave");
    try {
      const response = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
      if (status) status.textContent = response.ok ? form.dataset.saved || "Draft saved" : await response.text();
    } catch {
      if (status) status.textContent = "";
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  });
}

document.querySelectorAll("form[data-autosave]").forEach(setup);
