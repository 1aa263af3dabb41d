// Autosave of a progress-note draft: the form is posted in the background a few seconds after the last change.
const form = document.getElementById("note-form");
const status = document.getElementById("autosave-status");
const DELAY_MS = 3000;
let timer = null;
let sending = false;
let again = false;

async function save() {
  if (sending) { again = true; return; }
  sending = true;
  const body = new FormData(form);
  body.append("save", "1");
  try {
    const answer = await fetch(form.dataset.autosave, {
      method: "POST", body, headers: { "X-Autosave": "1" }, credentials: "same-origin",
    });
    const data = await answer.json();
    status.textContent = data.saved ? `${form.dataset.savedLabel || "Draft saved"} ${data.at}` : (form.dataset.failedLabel || "Not saved");
  } catch {
    status.textContent = form.dataset.failedLabel || "Not saved";
  } finally {
    sending = false;
    if (again) { again = false; save(); }
  }
}

if (form && status) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  });
}
