// The focal point: a click on the photo fills in the two % fields of the "Set the focal point"
// form and marks the spot. Without this script the fields are typed in; nothing else changes.
// A drag is left to blur-regions.js, which draws a region to blur on the same picture.
(function () {
  "use strict";

  var DRAG = 1; // % of the picture a pointer may move and still count as a click

  function percent(value) {
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  function enhance(form) {
    var picture = document.getElementById(form.getAttribute("data-picture"));
    var x = form.querySelector("[name='focal-x']");
    var y = form.querySelector("[name='focal-y']");
    if (!picture || !x || !y) {
      return;
    }
    var frame = picture.parentNode;
    frame.classList.add("focal-target");
    var marker = document.createElement("div");
    marker.className = "focal-marker";
    frame.appendChild(marker);
    var hint = form.querySelector(".focal-click-hint");
    if (hint) {
      hint.hidden = false;
    }
    var start = null;

    function place(event) {
      var bounds = picture.getBoundingClientRect();
      return {
        x: percent(((event.clientX - bounds.left) / bounds.width) * 100),
        y: percent(((event.clientY - bounds.top) / bounds.height) * 100),
      };
    }

    function show() {
      marker.style.left = picture.offsetLeft + (Number(x.value) / 100) * picture.offsetWidth + "px";
      marker.style.top = picture.offsetTop + (Number(y.value) / 100) * picture.offsetHeight + "px";
    }

    picture.addEventListener("pointerdown", function (event) {
      start = event.button === 0 ? place(event) : null;
    });
    picture.addEventListener("pointerup", function (event) {
      if (!start) {
        return;
      }
      var end = place(event);
      var moved = Math.abs(end.x - start.x) > DRAG || Math.abs(end.y - start.y) > DRAG;
      start = null;
      if (moved) {
        return;
      }
      x.value = end.x;
      y.value = end.y;
      show();
      x.focus();
    });
    [x, y].forEach(function (input) {
      input.addEventListener("input", show);
    });
    if (picture.complete) {
      show();
    } else {
      picture.addEventListener("load", show);
    }
    window.addEventListener("resize", show);
  }

  document.querySelectorAll("form.focal-form[data-picture]").forEach(enhance);
})();
