// Notifications on this device (Web Push): turn them on or off from the notification choices page.
// The browser asks the person's permission and makes the subscription with the site's VAPID public key;
// the server keeps it, sealed, and sends only "You have an update". Nothing here runs without a click.
const form = document.querySelector("[data-push]");

function say(text) {
  const box = form.querySelector("[data-push-status]");
  box.textContent = text;
  box.hidden = false;
}

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: {
      "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body),
  });
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    data = {};
  }
  return { ok: response.ok, data };
}

function deviceName() {
  const agent = navigator.userAgent;
  const browser = /Firefox\//.test(agent) ? "Firefox" : /Edg\//.test(agent) ? "Edge" : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : "";
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
  return [browser, system].filter(Boolean).join(" · ");
}

async function turnOn() {
  if ((await Notification.requestPermission()) !== "granted") return say(form.dataset.denied);
  // Clients' pages register the worker already; staff pages register it only here, when asked to.
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(form.dataset.key),
  });
  const result = await post(form.dataset.subscribe, { ...subscription.toJSON(), device: deviceName() });
  if (result.ok) window.location.reload();
  else {
    await subscription.unsubscribe();
    say(result.data.error || form.dataset.failed);
  }
}

async function turnOff() {
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = registration && (await registration.pushManager.getSubscription());
  if (subscription) {
    await post(form.dataset.unsubscribe, subscription.toJSON());
    await subscription.unsubscribe();
  }
  window.location.reload();
}

async function start() {
  if (!form) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(form.dataset.unsupported);
    return;
  }
  const registration = await navigator.serviceWorker.getRegistration("/");
  const current = registration && (await registration.pushManager.getSubscription());
  const on = form.querySelector("[data-push-on]");
  const off = form.querySelector("[data-push-off]");
  on.hidden = Boolean(current);
  off.hidden = !current;
  // The buttons sit in wrappers: the site's button style would override a hidden attribute on the button itself.
  on.querySelector("button").addEventListener("click", () => turnOn().catch(() => say(form.dataset.failed)));
  off.querySelector("button").addEventListener("click", () => turnOff().catch(() => say(form.dataset.failed)));
}

start();
