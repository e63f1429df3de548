// Small enhancements only: every page works without this file.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // Change language as soon as one is picked; the button stays for no-JS visitors.
  document.querySelectorAll(".language-switcher select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Sorting and filter selects submit their form on change.
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });

  // The filter panel starts open (so it works without JS); on a phone it folds
  // away, its summary counting the filters in use, unless it shows an error.
  const filters = document.querySelector("details.filters-toggle");
  if (filters && !filters.hasAttribute("data-keep-open") && window.matchMedia("(max-width: 719px)").matches) {
    filters.open = false;
  }

  // Gallery: a thumbnail shows its picture in the main frame instead of opening it.
  const mainImage = document.getElementById("main-image");
  document.querySelectorAll("[data-gallery-image]").forEach((link) => {
    link.addEventListener("click", (event) => {
      if (!mainImage) return;
      event.preventDefault();
      mainImage.src = link.dataset.galleryImage;
      mainImage.alt = link.dataset.galleryAlt || "";
      document.querySelectorAll("[data-gallery-image]").forEach((other) => other.removeAttribute("aria-current"));
      link.setAttribute("aria-current", "true");
    });
  });

  // Variant picker: show the chosen variant's price and stock without a reload.
  const picker = document.querySelector("[data-variant-picker]");
  const dataNode = document.getElementById("variant-data");
  if (picker && dataNode) {
    const variants = JSON.parse(dataNode.textContent);
    const box = document.getElementById("buy-box");
    const price = box.querySelector("[data-price]");
    const compare = box.querySelector("[data-compare-at]");
    const compareAmount = box.querySelector("[data-compare-at-amount]");
    const stock = box.querySelector("[data-stock]");
    const priceLabel = box.querySelector("[data-price-label]");
    const teaser = box.querySelector("[data-teaser]");
    const teaserText = box.querySelector("[data-teaser-text]");
    const chosen = (name) => {
      const input = picker.querySelector(`input[name="${name}"]:checked`);
      return input ? input.value : null;
    };
    picker.addEventListener("change", () => {
      const option1 = chosen("option1");
      const option2 = chosen("option2");
      const variant = variants.find(
        (v) => (option1 === null || v.option1 === option1) && (option2 === null || v.option2 === option2)
      );
      if (!variant) {
        stock.innerHTML = "";
        const badge = document.createElement("span");
        badge.className = "badge out";
        badge.textContent = box.dataset.unavailable;
        stock.appendChild(badge);
        return;
      }
      price.textContent = variant.price;
      compareAmount.textContent = variant.compare_at;
      compare.hidden = !variant.compare_at;
      price.closest(".price").classList.toggle("sale", Boolean(variant.compare_at));
      if (priceLabel) {
        priceLabel.textContent = variant.price_label;
        priceLabel.hidden = !variant.price_label;
      }
      if (teaser && teaserText) {
        teaserText.textContent = variant.teaser;
        teaser.hidden = !variant.teaser;
      }
      stock.innerHTML = "";
      const badge = document.createElement("span");
      badge.className = `badge ${variant.stock_class}`;
      badge.textContent = variant.stock_label;
      stock.appendChild(badge);
    });
  }
});
