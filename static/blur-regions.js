// Blurring a bystander: drag a rectangle on the photo to fill in the four % fields of the
// "Blur this region" form. Without this script the fields are typed in; nothing else changes.
(function () {
  "use strict";

  function percent(value) {
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  function enhance(form) {
    var picture = document.getElementById(form.getAttribute("data-picture"));
    if (!picture) {
      return;
    }
    var fields = {};
    ["left", "top", "width", "height"].forEach(function (name) {
      fields[name] = form.querySelector("[name='blur-" + name + "']");
    });
    var frame = picture.parentNode;
    frame.classList.add("blur-target");
    var outline = document.createElement("div");
    outline.className = "blur-outline";
    outline.hidden = true;
    frame.appendChild(outline);
    var hint = form.querySelector(".blur-drag-hint");
    if (hint) {
      hint.hidden = false;
    }
    var start = null;

    // The pointer's place as a % of the picture, as the form wants it.
    function place(event) {
      var bounds = picture.getBoundingClientRect();
      return {
        x: percent(((event.clientX - bounds.left) / bounds.width) * 100),
        y: percent(((event.clientY - bounds.top) / bounds.height) * 100),
      };
    }

    function show(box) {
      outline.hidden = false;
      outline.style.left = picture.offsetLeft + (box.left / 100) * picture.offsetWidth + "px";
      outline.style.top = picture.offsetTop + (box.top / 100) * picture.offsetHeight + "px";
      outline.style.width = (box.width / 100) * picture.offsetWidth + "px";
      outline.style.height = (box.height / 100) * picture.offsetHeight + "px";
    }

    function boxTo(end) {
      return {
        left: Math.min(start.x, end.x),
        top: Math.min(start.y, end.y),
        width: percent(Math.abs(end.x - start.x)),
        height: percent(Math.abs(end.y - start.y)),
      };
    }

    picture.addEventListener("dragstart", function (event) {
      event.preventDefault(); // the browser's own dragging of the image file
    });
    picture.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) {
        return;
      }
      event.preventDefault();
      start = place(event);
      picture.setPointerCapture(event.pointerId);
    });
    picture.addEventListener("pointermove", function (event) {
      if (start) {
        show(boxTo(place(event)));
      }
    });
    picture.addEventListener("pointerup", function (event) {
      if (!start) {
        return;
      }
      var box = boxTo(place(event));
      start = null;
      if (box.width <= 0 || box.height <= 0) {
        outline.hidden = true;
        return;
      }
      show(box);
      Object.keys(fields).forEach(function (name) {
        if (fields[name]) {
          fields[name].value = box[name];
        }
      });
      fields.left.focus();
    });
  }

  document.querySelectorAll("form.blur-form[data-picture]").forEach(enhance);
})();
