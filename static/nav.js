// Small screens: a button folds away what it controls (the main navigation, the search
// filters). The button is hidden in the page, so without JavaScript everything stays open.
"use strict";

(function () {
  document.querySelectorAll("button.small-screen-toggle[aria-controls]").forEach(function (button) {
    const target = document.getElementById(button.getAttribute("aria-controls"));
    if (!target) return;
    // The stylesheet hides a folded target only below 40rem, so desktops never lose it.
    target.classList.add("folds");
    button.hidden = false;
    button.addEventListener("click", function () {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      target.classList.toggle("unfolded", open);
    });
  });
})();
