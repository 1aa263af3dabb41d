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

// True when a field differs from what the page was served with: on a slow connection a clinician can start typing
// before this script has run, and that typing must be saved too.
function changedBeforeLoad() {
  return [...form.elements].some((field) => {
    if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
    return "defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue;
  });
}

if (form && status) {
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  });
  if (changedBeforeLoad()) timer = setTimeout(save, DELAY_MS);
}
