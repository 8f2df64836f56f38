// Progressive enhancement only: every page works without this file.
"use strict";

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
