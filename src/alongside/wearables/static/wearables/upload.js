// Chunked, resumable upload of a wearable file (the protocol is described in wearables/uploads.py).
// Sends the file in chunks with Upload-Offset; on a 409 it resumes from the offset the server holds;
// then polls the upload until the background import is done, showing progress.

const form = document.querySelector("[data-upload-form]");
const bar = document.querySelector("[data-upload-progress]");
const status = document.querySelector("[data-upload-status]");

function say(text) {
  status.textContent = text;
}

function csrf() {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

async function sendChunks(file, upload) {
  let offset = upload.received;
  let failures = 0;
  while (offset < file.size) {
    const chunk = file.slice(offset, offset + upload.chunk_bytes);
    let response;
    try {
      response = await fetch(`${form.action}${upload.id}/`, {
        method: "PUT",
        headers: { "X-CSRFToken": csrf(), "Upload-Offset": String(offset) },
        body: chunk,
        credentials: "same-origin",
      });
    } catch {
      failures += 1;
      if (failures > 5) throw new Error(form.dataset.lost || "The connection was lost.");
      await new Promise((resolve) => setTimeout(resolve, 1000 * failures));
      response = await fetch(`${form.action}${upload.id}/`, { credentials: "same-origin" });
    }
    const state = await response.json();
    if (!response.ok && response.status !== 409) throw new Error(state.error);
    offset = state.received;
    bar.value = Math.floor((offset / file.size) * 50);
    say(`${state.status_label}: ${Math.floor((offset / file.size) * 100)}%`);
  }
}

async function follow(upload) {
  for (;;) {
    const response = await fetch(`${form.action}${upload.id}/`, { credentials: "same-origin" });
    const state = await response.json();
    bar.value = 50 + Math.floor((state.parsed / state.size) * 50);
    if (state.status === "done") {
      bar.value = 100;
      const result = state.result;
      say(`${state.status_label}: ${result.samples_stored} / ${result.records}`);
      return;
    }
    if (state.status === "failed") {
      say(`${state.status_label}: ${state.message}`);
      return;
    }
    say(state.status_label);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = form.querySelector("input[type=file]").files[0];
    if (!file) return;
    const body = new FormData();
    body.append("name", file.name);
    body.append("size", String(file.size));
    body.append("source", form.querySelector("select[name=source]").value);
    const zone = form.querySelector("input[name=minute_zone]:checked");
    if (zone) body.append("minute_zone", zone.value);
    bar.hidden = false;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "X-CSRFToken": csrf() },
        body,
        credentials: "same-origin",
      });
      const upload = await response.json();
      if (!response.ok) throw new Error(upload.error);
      await sendChunks(file, upload);
      await follow(upload);
    } catch (error) {
      say(error.message);
    }
  });
}
