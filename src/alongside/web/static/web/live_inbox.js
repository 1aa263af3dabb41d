// Keep the Messages badge, and on the inbox page its rows, current when a message arrives.
// The socket carries the unread count only; the inbox rows are fetched again from the page itself,
// through the same access-checked view. Without JavaScript the server renders both on every load.
const badge = document.querySelector("[data-message-badge]");
const count = badge && badge.querySelector("[data-message-count]");
const label = badge && badge.querySelector("[data-message-label]");
const UNAUTHENTICATED = 4401;
const MAX_DELAY_MS = 60000;

function showCount(unread) {
  if (!badge || !count) return;
  count.textContent = String(unread);
  badge.hidden = unread <= 0;
  badge.classList.toggle("nav-count", unread > 0); // the class sets display, so only on when shown
  badge.dataset.unread = String(unread);
  if (label) label.textContent = " " + (unread === 1 ? badge.dataset.one : badge.dataset.many);
}

async function refreshRows() {
  const table = document.querySelector("[data-live-inbox]");
  if (!table) return;
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok) return;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("[data-live-inbox] tbody");
  const rows = table.querySelector("tbody");
  if (fresh && rows) rows.replaceWith(document.adoptNode(fresh));
  const live = document.querySelector("[data-inbox-live]");
  if (live) live.textContent = live.dataset.template;
}

function connect(delay) {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  let socket;
  try {
    socket = new WebSocket(`${scheme}://${window.location.host}/ws/inbox/`);
  } catch (error) {
    window.setTimeout(() => connect(Math.min(delay * 2, MAX_DELAY_MS)), delay);
    return;
  }
  socket.addEventListener("open", () => {
    delay = 1000;
    badge.dataset.live = "open"; // tests wait for this before sending
  });
  socket.addEventListener("message", (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    if (data && data.type === "inbox" && Number.isInteger(data.unread)) {
      showCount(data.unread);
      refreshRows().catch(() => {}); // a failed fetch leaves the rows as they were, until the next load
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === UNAUTHENTICATED) return;
    const wait = delay + Math.floor(Math.random() * 500);
    window.setTimeout(() => connect(Math.min(delay * 2, MAX_DELAY_MS)), wait);
  });
}

if (badge && "WebSocket" in window) {
  connect(1000);
}
