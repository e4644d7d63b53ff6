// A button with `data-print` prints the page (the CSP forbids inline handlers).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) window.print();
});
