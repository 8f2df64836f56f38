// Progressive enhancement only: every page works without this file.
"use strict";

// Upload form: "Add another photo" clones the last entry with the next index.
(function () {
  const entries = document.getElementById("photo-entries");
  const add = document.getElementById("add-photo");
  if (!entries || !add) return;
  const max = 12;
  add.hidden = false;
  add.addEventListener("click", function () {
    const all = entries.querySelectorAll(".photo-entry");
    if (all.length >= max) return;
    const last = all[all.length - 1];
    const from = Number(last.dataset.index);
    const to = from + 1;
    const copy = last.cloneNode(true);
    copy.dataset.index = String(to);
    copy.querySelector("legend").textContent = "Photo " + (to + 1);
    copy.querySelectorAll(".error").forEach(function (node) { node.remove(); });
    copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        const value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, value.replace("photos-" + from + "-", "photos-" + to + "-"));
      });
      const keep = /-(photographer|licence)$/.test(node.name || "");
      if (!keep && (node.type === "file" || node.type === "text" || node.tagName === "TEXTAREA")) node.value = "";
      if (node.type === "checkbox") node.checked = false;
    });
    last.after(copy);
    if (all.length + 1 >= max) add.hidden = true;
    copy.querySelector("input[type=file]").focus();
  });
})();
