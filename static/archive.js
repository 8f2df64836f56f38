// Progressive enhancement only: every page works without this file.
"use strict";

(function () {
  // Upload form: "Add another photo" clones the last entry with the next index.
  function enhanceAddPhoto() {
    const entries = document.getElementById("photo-entries");
    const add = document.getElementById("add-photo");
    if (!entries || !add) return;
    const max = Number(entries.dataset.maxEntries);
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
  }

  // Upload form: send it with XMLHttpRequest to show each file's progress. It is still the
  // one request the plain form sends, so the server's checks, the consent forms shared by
  // all the photos, and the answer page are exactly those of the form without JavaScript.
  function enhanceUploadSending() {
    const form = document.getElementById("upload-form");
    const panel = document.getElementById("upload-progress");
    if (!form || !panel || !window.FormData || !window.XMLHttpRequest) return;
    const list = panel.querySelector(".progress-list");
    const status = panel.querySelector(".upload-status");
    const alertBox = panel.querySelector(".error-summary");
    const button = form.querySelector("button[type=submit]");
    const maxBytes = Number(form.dataset.maxFileMb) * 1024 * 1024;

    function fail(message) {
      alertBox.textContent = message;
      alertBox.hidden = false;
      panel.hidden = false;
      button.disabled = false;
      alertBox.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(form);
      const plan = layout(data);
      const tooBig = plan.files.filter(function (part) { return part.file.size > maxBytes; });
      if (tooBig.length) {
        fail(tooBig.map(function (part) { return part.file.name + " is " + megabytes(part.file.size); }).join("; ") +
          ". The limit is " + form.dataset.maxFileMb + " MB per file: choose a smaller file. Nothing was sent.");
        return;
      }
      alertBox.hidden = true;
      list.replaceChildren.apply(list, plan.files.map(progressRow));
      panel.hidden = false;
      button.disabled = true;
      status.textContent = plan.files.length
        ? "Sending " + plan.files.length + " file" + (plan.files.length === 1 ? "" : "s") + "…"
        : "Sending…";

      let allSent = false;
      let sentCount = 0;
      const request = new XMLHttpRequest();
      request.open("POST", form.action || location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (!progress.lengthComputable) return;
        // The browser reports bytes of the whole body; map them onto each file's share of it.
        const sent = progress.loaded / progress.total * plan.total;
        plan.files.forEach(function (part) {
          const share = (sent - part.start) / Math.max(1, part.end - part.start);
          const value = Math.min(100, Math.max(0, Math.floor(share * 100)));
          // Screen readers hear each file arrive, not every percent.
          if (setProgress(part, value) && value === 100) {
            sentCount += 1;
            status.textContent = part.file.name + " sent (" + sentCount + " of " + plan.files.length + ").";
          }
        });
      });
      request.upload.addEventListener("load", function () {
        allSent = true;
        plan.files.forEach(function (part) { setProgress(part, 100); });
        status.textContent = "All files sent. The archive is checking and storing them; large photos take a moment.";
      });
      request.addEventListener("load", function () {
        if (request.status === 200 || request.status === 422) {
          showAnswer(request);
          return;
        }
        const answer = new DOMParser().parseFromString(request.responseText, "text/html").querySelector("main .lead");
        fail(answer ? answer.textContent : "The archive could not take this upload (error " + request.status + "). Please try again.");
      });
      function lost() {
        if (allSent) {
          fail("Every file was sent, but the connection was lost before the archive answered, so some may already be stored. " +
            "Check My uploads before sending again; sending a photo twice is safe, because a photo already in the archive is recognised and not added twice.");
        } else {
          plan.files.forEach(function (part) { part.row.classList.add("lost"); });
          fail("The connection to the archive was lost while sending, so nothing from this upload was stored. " +
            "These files did not arrive: " + plan.files.map(function (part) { return part.file.name; }).join(", ") + ". " +
            "Everything you typed is still in the form: check your connection and press Upload to send them again.");
        }
        status.textContent = "";
      }
      request.addEventListener("error", lost);
      request.addEventListener("abort", lost);
      request.addEventListener("timeout", lost);
      request.send(data);
    });
  }

  // Where each file lies in the multipart body the browser will send. Each part costs its
  // headers (about 100 bytes with the boundary) besides its name and value; the estimate
  // is scaled to the real total the browser reports, so it only needs to be close.
  function layout(data) {
    const encoder = new TextEncoder();
    const files = [];
    let offset = 0;
    data.forEach(function (value, name) {
      offset += 100 + encoder.encode(name).length;
      if (value instanceof File) {
        offset += encoder.encode(value.name).length + value.type.length;
        if (value.name) files.push({ file: value, start: offset, end: offset + value.size });
        offset += value.size;
      } else {
        offset += encoder.encode(value).length;
      }
    });
    return { files: files, total: offset };
  }

  function progressRow(part, index) {
    const row = document.createElement("li");
    const label = document.createElement("label");
    const bar = document.createElement("progress");
    const percent = document.createElement("span");
    bar.id = "upload-progress-" + index;
    bar.max = 100;
    bar.value = 0;
    label.htmlFor = bar.id;
    label.textContent = part.file.name + " (" + megabytes(part.file.size) + ")";
    percent.className = "percent";
    percent.setAttribute("aria-hidden", "true");  // the bar itself tells assistive technology
    percent.textContent = "0%";
    row.append(label, bar, percent);
    part.row = row;
    part.bar = bar;
    part.percent = percent;
    return row;
  }

  // Move a file's bar forward (never back); return whether it moved.
  function setProgress(part, value) {
    if (value <= part.bar.value) return false;
    part.bar.value = value;
    part.bar.textContent = value + "%";
    part.percent.textContent = value + "%";
    return true;
  }

  function megabytes(bytes) {
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  // Put the page the archive answered with in place of this one: the results (with their
  // messages, which a second request would no longer show) or the form with its problems.
  function showAnswer(request) {
    const answer = new DOMParser().parseFromString(request.responseText, "text/html");
    document.title = answer.title;
    document.body.replaceWith(document.adoptNode(answer.body));
    if (request.responseURL && request.responseURL !== location.href) {
      // The address of the page now shown (e.g. My uploads), so reloading shows it again.
      history.replaceState(null, "", request.responseURL);
    }
    enhanceAddPhoto();
    enhanceUploadSending();
    const focus = document.querySelector(".error-summary:not([hidden]), .flashes, main h1");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  enhanceAddPhoto();
  enhanceUploadSending();
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
