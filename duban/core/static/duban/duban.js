// Duban's only script of its own: no inline handlers, so a strict Content-Security-Policy can forbid them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]")) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
});
