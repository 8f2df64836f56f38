// Curators' batch work on the search results (templates/search/_batch.html): a button that
// ticks every photo on the page, and a count of those ticked in the form's summary. Both
// are hidden in the page, so without JavaScript the tick boxes and the form work alone.
"use strict";

(function () {
  const form = document.getElementById("batch-form");
  if (!form) return;
  const boxes = Array.from(document.querySelectorAll('input[name="photo"][form="batch-form"]'));
  const count = document.querySelector(".batch-count");
  const selectPage = form.querySelector(".batch-select-page");

  function update() {
    const ticked = boxes.filter(function (box) { return box.checked; }).length;
    count.textContent = " (" + ticked + " ticked)";
    count.hidden = false;
    const all = ticked === boxes.length;
    selectPage.textContent = all ? "Untick every photo on this page" : "Tick every photo on this page";
  }

  selectPage.hidden = false;
  selectPage.addEventListener("click", function () {
    const tick = !boxes.every(function (box) { return box.checked; });
    boxes.forEach(function (box) { box.checked = tick; });
    form.querySelector('input[name="which"][value="ticked"]').checked = true;
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
