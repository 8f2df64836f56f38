// The upload page: photos chosen many at once or dropped, an entry with a preview for each,
// a searchable people picker, and the form sent with per-file progress. Progressive
// enhancement only: without this file the page is a plain multipart form that works.
"use strict";

(function () {
  const NAME_PREFIX = /^photos-\d+-/;

  // Whether nothing was chosen or typed in an entry (its credit and licence come filled in).
  function isBlank(entry) {
    if (entry.classList.contains("has-error") || entry.querySelector(".has-error, .choose-again")) return false;
    const file = entry.querySelector("input[type=file]");
    if (file && file.files.length) return false;
    return !Array.from(entry.querySelectorAll("input[type=text], textarea")).some(function (node) {
      return node.value && !/-photographer$/.test(node.name);
    });
  }

  // Copy an entry as the next one: new names and ids, nothing chosen or typed but the credit
  // and licence, no messages, no preview.
  function cloneEntry(entries, source) {
    const all = entries.querySelectorAll(".photo-entry");
    const last = all[all.length - 1];
    const from = Number(source.dataset.index);
    const to = Number(last.dataset.index) + 1;
    const copy = source.cloneNode(true);
    copy.dataset.index = String(to);
    copy.removeAttribute("data-stored");
    copy.querySelector("legend").textContent = "Photo " + (to + 1);
    copy.querySelectorAll(".error, .choose-again, .people-filter").forEach(function (node) { node.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (node) { node.classList.remove("has-error"); });
    copy.querySelector(".preview").replaceChildren();
    copy.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        const value = node.getAttribute(attribute);
        if (value) node.setAttribute(attribute, value.replace("photos-" + from + "-", "photos-" + to + "-"));
      });
      if (node.getAttribute("aria-invalid")) node.setAttribute("aria-invalid", "false");
      const keep = /-(photographer|licence)$/.test(node.name || "");
      if (!keep && (node.type === "file" || node.type === "text" || node.tagName === "TEXTAREA")) node.value = "";
      if (node.type === "checkbox") node.checked = false;
    });
    copy.querySelectorAll(".people-picker li").forEach(function (item) { item.hidden = false; });
    last.after(copy);
    enhanceEntry(copy);
    return copy;
  }

  // Show the chosen file's picture: the browser's own decoding, or for what it cannot decode
  // (HEIC in most browsers) a small JPEG the archive makes and forgets.
  function showPreview(entry, form) {
    const input = entry.querySelector("input[type=file]");
    const box = entry.querySelector(".preview");
    box.replaceChildren();
    const file = input.files[0];
    if (!file) return;
    const image = document.createElement("img");
    image.alt = "";
    const local = URL.createObjectURL(file);
    image.addEventListener("load", function () { box.dataset.shown = file.name; }, { once: true });
    image.addEventListener("error", function () {
      URL.revokeObjectURL(local);
      const body = new FormData();
      const token = form.querySelector("[name=csrf_token]");
      if (token) body.append("csrf_token", token.value);
      body.append("file", file);
      fetch(form.dataset.previewUrl, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.blob();
        })
        .then(function (blob) { image.src = URL.createObjectURL(blob); })
        .catch(function () {
          const note = document.createElement("p");
          note.className = "help";
          note.textContent = "No preview of " + file.name + "; it can still be uploaded.";
          box.replaceChildren(note);
        });
    }, { once: true });
    image.src = local;
    box.append(image);
  }

  // A people list you can narrow by typing, with the number shown said aloud.
  function enhancePicker(picker) {
    const items = Array.from(picker.querySelectorAll("li"));
    const list = picker.querySelector("ul");
    if (!list || !items.length) return;
    const id = list.id + "-filter";
    const wrap = document.createElement("div");
    wrap.className = "people-filter";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Find a person";
    const box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.autocomplete = "off";
    const count = document.createElement("p");
    count.className = "help";
    count.setAttribute("role", "status");
    wrap.append(label, box, count);
    list.before(wrap);
    box.addEventListener("input", function () {
      const query = box.value.trim().toLowerCase();
      let shown = 0;
      items.forEach(function (item) {
        // A ticked person stays in view, so what is chosen is never hidden.
        const match = !query || item.textContent.toLowerCase().includes(query) || item.querySelector("input").checked;
        item.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = query ? shown + " of " + items.length + " people shown" : "";
    });
  }

  function enhanceEntry(entry) {
    const form = entry.closest("form");
    entry.querySelectorAll(".people-picker").forEach(enhancePicker);
    const input = entry.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      entry.hidden = false;
      showPreview(entry, form);
    });
  }

  function enhanceEntries() {
    const form = document.getElementById("upload-form");
    const entries = document.getElementById("photos");
    const zone = document.getElementById("drop-zone");
    const add = document.getElementById("add-photo");
    if (!form || !entries || !zone || !add || !window.DataTransfer) return;
    const max = Number(entries.dataset.maxEntries);
    const chooser = document.getElementById("choose-photos");
    const status = zone.querySelector(".drop-status");
    const all = function () { return Array.from(entries.querySelectorAll(".photo-entry")); };
    all().forEach(enhanceEntry);
    // One entry per chosen photo: the empty ones wait out of sight until a file needs them.
    all().forEach(function (entry) { entry.hidden = isBlank(entry); });
    zone.hidden = false;
    add.hidden = false;

    function freeEntry() {
      const free = all().find(function (entry) { return entry.hidden; });
      if (free) return free;
      const list = all();
      return list.length < max ? cloneEntry(entries, list[list.length - 1]) : null;
    }

    function addFiles(files) {
      let added = 0;
      const left = [];
      Array.from(files).forEach(function (file) {
        const entry = freeEntry();
        if (!entry) { left.push(file.name); return; }
        const input = entry.querySelector("input[type=file]");
        const transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        added += 1;
      });
      status.textContent = added + " photo" + (added === 1 ? "" : "s") + " added: describe " +
        (added === 1 ? "it" : "each") + " below." +
        (left.length ? " One upload takes at most " + max + " photos, so these were not added: " + left.join(", ") + "." : "");
      chooser.value = "";
    }

    chooser.addEventListener("change", function () { addFiles(chooser.files); });
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      addFiles(event.dataTransfer.files);
    });
    add.addEventListener("click", function () {
      const entry = freeEntry();
      if (!entry) {
        status.textContent = "One upload takes at most " + max + " photos.";
        return;
      }
      entry.hidden = false;
      entry.querySelector("input[type=file]").focus();
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
  // A refused form keeps the files chosen in it: each goes back into the input of the same
  // name, unless its photo was stored; the sentences asking to choose them again go.
  function showAnswer(request) {
    const answer = new DOMParser().parseFromString(request.responseText, "text/html");
    const chosen = {};
    document.querySelectorAll("#upload-form input[type=file][name]").forEach(function (input) {
      if (input.files.length) chosen[input.name] = Array.from(input.files);
    });
    document.title = answer.title;
    document.body.replaceWith(document.adoptNode(answer.body));
    if (request.responseURL && request.responseURL !== location.href) {
      // The address of the page now shown (e.g. My uploads), so reloading shows it again.
      history.replaceState(null, "", request.responseURL);
    }
    document.querySelectorAll("#upload-form input[type=file][name]").forEach(function (input) {
      const entry = input.closest(".photo-entry, .consent");
      if (!chosen[input.name] || entry.hasAttribute("data-stored")) return;
      const transfer = new DataTransfer();
      chosen[input.name].forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
      entry.querySelectorAll(".choose-again").forEach(function (note) { note.remove(); });
    });
    if (!document.querySelector("#upload-form .choose-again")) {
      document.querySelectorAll(".error-summary .choose-again").forEach(function (note) { note.remove(); });
    }
    enhanceEntries();
    document.querySelectorAll(".photo-entry").forEach(function (entry) {
      if (entry.querySelector("input[type=file]").files.length) showPreview(entry, entry.closest("form"));
    });
    enhanceUploadSending();
    const focus = document.querySelector(".error-summary:not([hidden]), .flashes, main h1");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  enhanceEntries();
  enhanceUploadSending();
})();
