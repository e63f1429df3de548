// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Change language as soon as one is picked; the button stays for no-JS visitors.
  document.querySelectorAll(".language-switcher select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Sorting and filter selects submit their form on change.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
