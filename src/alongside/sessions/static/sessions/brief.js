// The session brief: the Print button opens the browser's print dialog (the page prints on one sheet).
const button = document.querySelector("[data-print]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
