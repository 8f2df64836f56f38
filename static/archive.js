// Progressive enhancement only: every page works without this file.
"use strict";

// Exhibition galleries: a lightbox. Arrow keys move, Escape closes, focus returns to the
// picture that was opened. Without JavaScript the links open the display-size image itself.
(function () {
  const links = Array.from(document.querySelectorAll(".gallery a.zoom"));
  if (!links.length) return;
  let current = -1;
  let opener = null;
  const box = document.createElement("div");
  box.className = "lightbox";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-modal", "true");
  box.setAttribute("aria-label", "Photo viewer");
  box.hidden = true;
  box.innerHTML =
    '<button type="button" class="lightbox-close">Close</button>' +
    '<button type="button" class="lightbox-prev" aria-label="Previous photo">&larr;</button>' +
    '<figure><img alt=""><figcaption></figcaption></figure>' +
    '<button type="button" class="lightbox-next" aria-label="Next photo">&rarr;</button>';
  document.body.appendChild(box);
  const image = box.querySelector("img");
  const caption = box.querySelector("figcaption");
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
    box.dataset.index = String(current);
  }
  function open(index, from) {
    opener = from;
    show(index);
    box.hidden = false;
    close.focus();
  }
  function shut() {
    box.hidden = true;
    image.removeAttribute("src");
    if (opener) opener.focus();
  }
  links.forEach(function (link, index) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      open(index, link);
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

// Exhibition builder: drag items to reorder; the order is saved at once. The Move up and
// Move down buttons stay for keyboards and for browsers without drag and drop.
(function () {
  const list = document.querySelector("ol.items[data-order-url]");
  if (!list) return;
  let dragged = null;
  list.querySelectorAll("li.item").forEach(function (item) {
    item.draggable = true;
    item.addEventListener("dragstart", function () { dragged = item; item.classList.add("dragging"); });
    item.addEventListener("dragend", function () { item.classList.remove("dragging"); dragged = null; });
    item.addEventListener("dragover", function (event) {
      event.preventDefault();
      if (!dragged || dragged === item) return;
      const box = item.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
    });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      const order = Array.from(list.querySelectorAll("li.item")).map(function (li) { return li.dataset.id; });
      const body = new URLSearchParams({ order: order.join(","), csrf_token: list.dataset.csrf });
      fetch(list.dataset.orderUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { if (!response.ok) throw new Error(response.status); })
        .catch(function () { alert("The new order could not be saved. Please reload the page and try again."); });
    });
  });
})();
