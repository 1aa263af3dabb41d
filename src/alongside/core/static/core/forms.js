// Forms that say what they need (loaded on every page; each part does nothing when its markup is absent).
// - Character counters: an element [data-count-for=ID] shows how many characters field ID holds.
// - The first field with a server error gets focus and is scrolled into view.
// - select[data-zone-picker] gains a search box that narrows the grouped list of time zones.
// - [data-show-when="FIELD:v1,v2"] is shown only while field FIELD has one of the values.
// Without JavaScript every field stays visible and the limits are still written next to the fields.
"use strict";

function setUpCounters() {
  document.querySelectorAll("[data-count-for]").forEach((counter) => {
    const field = document.getElementById(counter.dataset.countFor);
    if (!field) return;
    const limit = Number(field.getAttribute("maxlength") || counter.dataset.limit || 0);
    const warnAt = Math.floor(limit * 0.9);
    const lang = document.documentElement.lang;
    const update = () => {
      const used = field.value.length;
      counter.textContent = `(${used.toLocaleString(lang)} / ${limit.toLocaleString(lang)})`;
      const near = limit > 0 && used >= warnAt;
      counter.parentElement.classList.toggle("counter-near", near);
      // Announce only near the limit, so typing is not read out on every key.
      counter.setAttribute("aria-hidden", near ? "false" : "true");
      counter.parentElement.setAttribute("aria-live", near ? "polite" : "off");
    };
    field.addEventListener("input", update);
    update();
    counter.parentElement.hidden = false;
  });
}

function focusFirstError() {
  // A field's error list, or a group of choices marked has-error (the calming tools' ratings).
  const error = document.querySelector(".field .errorlist, .errorlist[data-for], fieldset.has-error");
  if (!error) return;
  const id = error.dataset.for;
  const box = error.matches("fieldset") ? error : error.closest(".field");
  const field = id ? document.getElementById(id) : box && box.querySelector("input, select, textarea");
  if (!field) return;
  field.setAttribute("aria-invalid", "true");
  field.scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
}

function setUpZonePickers() {
  document.querySelectorAll("select[data-zone-picker]").forEach((select) => {
    const search = document.createElement("input");
    search.type = "search";
    search.id = `${select.id}-search`;
    search.className = "zone-search";
    search.setAttribute("aria-controls", select.id);
    const label = document.createElement("label");
    label.htmlFor = search.id;
    label.textContent = select.dataset.searchLabel || "Search";
    select.before(label, search);
    search.addEventListener("input", () => {
      const words = search.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("optgroup").forEach((group) => {
        let shown = 0;
        group.querySelectorAll("option").forEach((option) => {
          const text = `${group.label} ${option.textContent} ${option.value}`.toLocaleLowerCase();
          option.hidden = !words.every((word) => text.includes(word));
          if (!option.hidden) shown += 1;
        });
        group.hidden = shown === 0;
      });
    });
  });
}

function setUpConditionalFields() {
  const rules = document.querySelectorAll("[data-show-when]");
  rules.forEach((element) => {
    const [name, values] = element.dataset.showWhen.split(":");
    const form = element.closest("form") || document;
    const controls = form.querySelectorAll(`[name="${name}"]`);
    const wanted = values.split(",");
    const update = () => {
      const checked = Array.from(controls).find((c) => (c.type === "radio" ? c.checked : true));
      element.hidden = !(checked && wanted.includes(checked.value));
    };
    controls.forEach((control) => control.addEventListener("change", update));
    update();
  });
}

function start() {
  setUpCounters();
  setUpZonePickers();
  setUpConditionalFields();
  focusFirstError();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
