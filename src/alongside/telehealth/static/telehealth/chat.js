// The unstored chat shared by one-to-one rooms and group calls (templates/telehealth/_chat.html).
// Messages live only in the page: the server relays them and writes them nowhere.

export function createChat({ send, you }) {
  const log = document.getElementById("chat-log");
  const input = document.getElementById("chat-text");

  function add(who, text) {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = who + ": ";
    li.append(name, document.createTextNode(text));
    log.append(li);
  }

  document.getElementById("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    send({ type: "chat", text });
    add(you, text);
    input.value = "";
  });
  return { add };
}
