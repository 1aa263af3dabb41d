// Keep the navigation's unread-notification badge current over a WebSocket.
// The page works without this: the badge is rendered by the server on every load.
const badge = document.querySelector("[data-notify-badge]");
const count = badge && badge.querySelector("[data-notify-count]");
const live = document.querySelector("[data-notify-live]");
const UNAUTHENTICATED = 4401;
const MAX_DELAY_MS = 60000;

function show(unread, kindLabel) {
  if (!badge || !count) return;
  count.textContent = String(unread);
  badge.hidden = unread <= 0;
  badge.classList.toggle("nav-count", unread > 0); // the class sets display, so only on when shown
  badge.dataset.unread = String(unread);
  if (live && kindLabel !== undefined) {
    live.textContent = live.dataset.template.replace("%s", String(unread));
  }
}

function connect(delay) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let socket;
  try {
    socket = new WebSocket(`${scheme}://${window.location.host}/ws/notifications/`);
  } catch (error) {
    window.setTimeout(() => connect(Math.min(delay * 2, MAX_DELAY_MS)), delay);
    return;
  }
  socket.addEventListener("open", () => {
    delay = 1000;
  });
  socket.addEventListener("message", (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (data && data.type === "notification" && Number.isInteger(data.unread)) {
      show(data.unread, data.kind);
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === UNAUTHENTICATED) return; // signed out: nothing to listen for
    // Back off (with jitter) so a restarting server is not hammered by every open page.
    const wait = delay + Math.floor(Math.random() * 500);
    window.setTimeout(() => connect(Math.min(delay * 2, MAX_DELAY_MS)), wait);
  });
}

if (badge && "WebSocket" in window) {
  connect(1000);
}
