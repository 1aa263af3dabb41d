// A call page's status line and error list, shared by one-to-one rooms (room.js) and group calls (group.js).
// The status line is a live region in the templates, so what `say` writes is read out by screen readers.

export function createStatus(statusLine, errors) {
  return {
    say(text) {
      statusLine.textContent = text;
    },
    showError(text) {
      errors.replaceChildren();
      if (text) {
        const li = document.createElement("li");
        li.textContent = text;
        errors.append(li);
      }
      errors.hidden = !text;
    },
  };
}
