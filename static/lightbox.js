// Exhibition galleries: a lightbox. Arrow keys move, Escape closes, and focus goes back to
// the picture last viewed. Without JavaScript the links open the display-size image itself.
"use strict";

(function () {
  const links = Array.from(document.querySelectorAll(".gallery a.zoom"));
  if (!links.length) return;
  let current = -1;
  const box = document.createElement("div");
  box.className = "lightbox";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "true");
  box.setAttribute("aria-label", "Photo viewer");
  box.hidden = true;
  // The live region is inside the dialog: aria-modal hides everything outside it.
  box.innerHTML =
    '<button type="button" class="lightbox-close">Close</button>' +
    '<button type="button" class="lightbox-prev" aria-label="Previous photo">&larr;</button>' +
    '<figure><img alt=""><figcaption></figcaption><p class="lightbox-count"></p></figure>' +
    '<button type="button" class="lightbox-next" aria-label="Next photo">&rarr;</button>' +
    '<p class="lightbox-status visually-hidden" aria-live="polite"></p>';
  document.body.appendChild(box);
  const image = box.querySelector("img");
  const caption = box.querySelector("figcaption");
  const count = box.querySelector(".lightbox-count");
  const status = box.querySelector(".lightbox-status");
  const close = box.querySelector(".lightbox-close");

  function show(index) {
    current = (index + links.length) % links.length;
    const link = links[current];
    const thumb = link.querySelector("img");
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    const figure = link.closest("figure");
    const text = figure ? figure.querySelector("figcaption") : null;
    caption.textContent = text ? text.textContent.trim() : "";
    const position = (current + 1) + " of " + links.length;
    count.textContent = position;
    status.textContent = "Photo " + position + ": " + (link.dataset.title || image.alt);
    box.dataset.index = String(current);
  }
  function open(index) {
    box.hidden = false;
    show(index);
    close.focus();
  }
  function shut() {
    box.hidden = true;
    image.removeAttribute("src");
    status.textContent = "";
    links[current].focus();  // the photo being viewed, which may not be the one opened
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(index);
    });
  });
  close.addEventListener("click", shut);
  box.querySelector(".lightbox-prev").addEventListener("click", function () { show(current - 1); });
  box.querySelector(".lightbox-next").addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (event) {
    if (box.hidden) return;
    if (event.key === "Escape") { event.preventDefault(); shut(); }
    else if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1); }
    else if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1); }
    else if (event.key === "Tab") {
      // Keep focus inside the dialog while it is open.
      const buttons = Array.from(box.querySelectorAll("button"));
      const at = buttons.indexOf(document.activeElement);
      const next = event.shiftKey ? at - 1 : at + 1;
      event.preventDefault();
      buttons[(next + buttons.length) % buttons.length].focus();
    }
  });
})();
