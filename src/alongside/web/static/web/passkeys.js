// Passkeys: add one in account settings, answer the second-factor step with one, or sign in with one alone.
// The server makes the options and checks the answer; this only hands them to the browser's WebAuthn.
function csrf(form) {
  return form.querySelector("input[name=csrfmiddlewaretoken]").value;
}

async function post(form, url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf(form), "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    data = {};
  }
  return { ok: response.ok, data };
}

function showError(form, text) {
  const box = form.querySelector("[data-passkey-error]");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
}

async function add(form) {
  const options = await post(form, form.dataset.options);
  if (!options.ok) return showError(form, options.data.error || "");
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.data),
  });
  const name = form.querySelector("input[name=name]").value;
  const result = await post(form, form.dataset.finish, { name, credential: credential.toJSON() });
  if (result.data.next) window.location.assign(result.data.next);
  else showError(form, result.data.error || "");
}

async function check(form) {
  const options = await post(form, form.dataset.options);
  if (!options.ok) {
    if (options.data.next) window.location.assign(options.data.next);
    return;
  }
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.data),
  });
  const result = await post(form, form.dataset.finish, { credential: credential.toJSON() });
  if (result.ok && result.data.next) window.location.assign(result.data.next);
  else if (result.data.error) showError(form, result.data.error);
  else if (result.data.next) window.location.assign(result.data.next);
}

async function signIn(form) {
  const options = await post(form, form.dataset.options);
  if (!options.ok) return showError(form, form.dataset.failed || "");
  const credential = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.data),
  });
  const result = await post(form, form.dataset.finish, { credential: credential.toJSON(), next: form.dataset.next });
  if (result.ok && result.data.next) window.location.assign(result.data.next);
  else showError(form, result.data.error || form.dataset.failed || "");
}

const ceremonies = [
  ["[data-passkey-add]", add],
  ["[data-passkey-check]", check],
  ["[data-passkey-signin]", signIn],
];
for (const [selector, run] of ceremonies) {
  const form = document.querySelector(selector);
  if (!form) continue;
  if (!("PublicKeyCredential" in window) || !PublicKeyCredential.parseCreationOptionsFromJSON) {
    form.hidden = true; // this browser cannot use passkeys: the code (or the password) stays the way in
    continue;
  }
  form.hidden = false; // the sign-in page's form waits hidden for this script: without it, it could do nothing
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(form).catch(() => showError(form, form.dataset.failed || ""));
  });
}
