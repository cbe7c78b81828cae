// Duban's only script of its own: no inline handlers, so a strict Content-Security-Policy can forbid them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
});

// Forms marked data-busy show that work is under way and cannot be sent twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-busy]")) return;
  const button = form.querySelector("button[type=submit]");
  if (!button) return;
  button.disabled = true;
  button.querySelector(".spinner-border")?.classList.remove("d-none");
  button.querySelector(".label")?.classList.add("d-none");
  button.querySelector(".busy")?.classList.remove("d-none");
});

// A suggestion button fills the field it names (the user still confirms the import).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill]");
  if (!button) return;
  const field = document.getElementById(button.dataset.fill);
  if (field) { field.value = button.dataset.value; field.focus(); }
});

// Download links marked data-follow-filters carry the list's current filters, which htmx changes without a
// reload (the page number and sort order are the list's own business, not the download's).
function followFilters() {
  const params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.delete("sort");
  const query = params.toString();
  document.querySelectorAll("a[data-follow-filters]").forEach((link) => {
    link.href = link.dataset.base + (query ? "?" + query : "");
  });
}
document.addEventListener("htmx:pushedIntoHistory", followFilters);
document.addEventListener("htmx:afterSettle", followFilters);
window.addEventListener("popstate", followFilters);

// Bulk actions on the task list (the office only): ticking rows shows the action bar at the foot of the screen;
// with the whole page ticked, "all N tasks matching this filter" is offered. Without JavaScript the bar is always
// shown and posts as a plain form.
function bulkBar() {
  const bar = document.querySelector("[data-bulk-bar]");
  if (!bar) return;
  const rows = [...document.querySelectorAll("[data-bulk-row]")];
  const ticked = rows.filter((box) => box.checked).length;
  const whole = rows.length > 0 && ticked === rows.length;
  const page = document.querySelector("[data-bulk-page]");
  if (page) {
    page.hidden = false;
    page.checked = whole;
    page.indeterminate = ticked > 0 && !whole;
  }
  const all = bar.querySelector("[data-bulk-all]");
  const scope = all?.querySelector("input");
  const total = Number(bar.dataset.total);
  if (all) {
    all.hidden = !(whole && total > rows.length);
    if (all.hidden) scope.checked = false;
  }
  bar.querySelector("[data-bulk-count]").textContent = scope?.checked ? total : ticked;
  bar.hidden = ticked === 0;
}
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-bulk-page]")) {
    document.querySelectorAll("[data-bulk-row]").forEach((box) => { box.checked = el.checked; });
  }
  if (el.matches("[data-bulk-page], [data-bulk-row], [data-bulk-all] input")) bulkBar();
});
// Shift+click ticks (or clears) every row between the last one clicked and this one, as in a mail client.
let lastRow = null;
document.addEventListener("click", (event) => {
  const box = event.target;
  if (!box.matches || !box.matches("[data-bulk-row]")) return;
  const rows = [...document.querySelectorAll("[data-bulk-row]")];
  if (event.shiftKey && lastRow && rows.includes(lastRow)) {
    const [from, to] = [rows.indexOf(lastRow), rows.indexOf(box)].sort((a, b) => a - b);
    rows.slice(from, to + 1).forEach((row) => { row.checked = box.checked; });
    bulkBar();
  }
  lastRow = box;
});
document.addEventListener("DOMContentLoaded", bulkBar);
document.addEventListener("htmx:afterSettle", bulkBar);
