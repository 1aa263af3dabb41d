// Chunked, resumable upload of a wearable file (the protocol is described in wearables/uploads.py).
// Sends the file in chunks with Upload-Offset; on a 409 it resumes from the offset the server holds;
// then polls the upload until the background import is done, showing progress in one live region.
// After a reload the page lists unfinished uploads (the server remembers them): one still being read
// is followed again, one still receiving resumes once the same file is chosen, a stalled import
// (no progress for the server's stall time) offers Retry. Every sentence comes translated from the page.

const form = document.querySelector("[data-upload-form]");
const bar = document.querySelector("[data-upload-progress]");
const status = document.querySelector("[data-upload-status]");
const retryButton = document.querySelector("[data-upload-retry]");
const discardButton = document.querySelector("[data-upload-discard]");
// The buttons sit in a span that is hidden, not the buttons themselves: the site's button style sets display.
const actions = document.querySelector("[data-upload-actions]");
const text = form ? form.dataset : {};
const POLL_MS = 1000;
const MAX_FAILURES = 5;

function say(words) {
  status.textContent = words;
}

function csrf() {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

function uploadUrl(id) {
  return `${form.action}${id}/`;
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class GaveUp extends Error {}

// GET the upload's state, trying again after network errors; give up after MAX_FAILURES in a row.
async function fetchState(id) {
  for (let failures = 0; ; failures += 1) {
    try {
      const response = await fetch(uploadUrl(id), { credentials: "same-origin" });
      if (response.ok) return await response.json();
    } catch {
      // the connection dropped: try again below
    }
    if (failures >= MAX_FAILURES) throw new GaveUp(text.gaveUp);
    await pause(POLL_MS * (failures + 1));
  }
}

async function sendChunks(file, upload) {
  let offset = upload.received;
  let failures = 0;
  while (offset < file.size) {
    const chunk = file.slice(offset, offset + upload.chunk_bytes);
    let response;
    try {
      response = await fetch(uploadUrl(upload.id), {
        method: "PUT",
        headers: { "X-CSRFToken": csrf(), "Upload-Offset": String(offset) },
        body: chunk,
        credentials: "same-origin",
      });
    } catch {
      failures += 1;
      if (failures > MAX_FAILURES) throw new Error(text.lost);
      await pause(1000 * failures);
      response = await fetch(uploadUrl(upload.id), { credentials: "same-origin" }).catch(() => null);
      if (!response) continue;
    }
    const state = await response.json();
    if (!response.ok && response.status !== 409) throw new Error(state.error);
    offset = state.received;
    bar.value = Math.floor((offset / file.size) * 50);
    say(`${state.status_label}: ${Math.floor((offset / file.size) * 100)}%`);
  }
}

function offer(id, canRetry) {
  retryButton.dataset.id = id;
  discardButton.dataset.id = id;
  retryButton.parentElement.hidden = !canRetry;
  actions.hidden = false;
}

// Poll until the import is done, failed or stalled; say each state in the live region.
async function follow(id) {
  bar.hidden = false;
  actions.hidden = true;
  for (;;) {
    const state = await fetchState(id);
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
    if (state.stalled) {
      say(`${state.name}: ${text.stalled}`);
      offer(id, state.retry);
      return;
    }
    say(state.status_label);
    await pause(POLL_MS);
  }
}

async function retry(id) {
  actions.hidden = true;
  say(text.retrying);
  const response = await fetch(uploadUrl(id), {
    method: "POST",
    headers: { "X-CSRFToken": csrf() },
    credentials: "same-origin",
  });
  const state = await response.json();
  if (!response.ok) throw new Error(state.error);
  await follow(id);
}

// Discard a stalled upload through the same form the list of unfinished uploads posts (then the page reloads).
async function discard(id) {
  const body = new FormData();
  body.append("csrfmiddlewaretoken", csrf());
  await fetch(text.discardUrl.replace("00000000-0000-0000-0000-000000000000", id), {
    method: "POST",
    body,
    credentials: "same-origin",
  });
  window.location.reload();
}

// Resume an upload that stopped while sending: the client picks the same file again.
async function resume(item) {
  const file = form.querySelector("input[type=file]").files[0];
  if (!file) {
    say(text.chooseFile);
    form.querySelector("input[type=file]").focus();
    return;
  }
  if (file.name !== item.dataset.name || String(file.size) !== item.dataset.size) {
    say(text.otherFile);
    return;
  }
  const state = await fetchState(item.dataset.unfinished);
  bar.hidden = false;
  await sendChunks(file, state);
  await follow(state.id);
}

function guarded(work) {
  return async (...args) => {
    try {
      await work(...args);
    } catch (error) {
      say(error.message);
    }
  };
}

async function start(event) {
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
  const response = await fetch(form.action, {
    method: "POST",
    headers: { "X-CSRFToken": csrf() },
    body,
    credentials: "same-origin",
  });
  const upload = await response.json();
  if (!response.ok) throw new Error(upload.error);
  await sendChunks(file, upload);
  await follow(upload.id);
}

if (form) {
  form.addEventListener("submit", guarded(start));
  retryButton.addEventListener("click", guarded(() => retry(retryButton.dataset.id)));
  discardButton.addEventListener("click", guarded(() => discard(discardButton.dataset.id)));
  for (const button of document.querySelectorAll("[data-retry]")) {
    button.addEventListener("click", guarded(() => retry(button.dataset.retry)));
  }
  for (const button of document.querySelectorAll("[data-resume]")) {
    button.addEventListener("click", guarded(() => resume(button.closest("[data-unfinished]"))));
  }
  // After a reload, follow the newest import still waiting or being read (unless it has stalled).
  const reading = document.querySelector(
    "[data-unfinished][data-status=queued]:not([data-stalled]), [data-unfinished][data-status=parsing]:not([data-stalled])",
  );
  if (reading) guarded(follow)(reading.dataset.unfinished);
}
