// Document viewer ("visionneuse", seed 002): page by page, zoom, rotate.
// Pages are PNG rendered by the server; this only swaps the image and
// transforms it. Every control is a real <button> (keyboard accessible).
(function () {
  "use strict";
  var viewer = document.querySelector(".titres-viewer[data-page-url]");
  if (!viewer) return;
  var image = viewer.querySelector("#viewer-image");
  var status = viewer.querySelector("#viewer-status");
  var pages = parseInt(viewer.getAttribute("data-pages"), 10) || 1;
  // URL of page 1 ends with "/1.png": the other pages replace the number.
  var base = viewer.getAttribute("data-page-url").replace(/1\.png$/, "");
  var label = image.getAttribute("data-label") || "";
  var page = 1;
  var zoom = 1;
  var rotation = 0;

  var frame = viewer.querySelector(".titres-viewer__frame");
  var canvas = viewer.querySelector(".titres-viewer__canvas");

  // Zoom and rotation change the image's real size (not a transform around
  // its centre, which pushed the top-left corner out of the scroll box): the
  // canvas takes the size of the rotated, zoomed page, so the frame scrolls
  // to every corner.
  function layout() {
    if (!image.naturalWidth || !canvas) return;
    var style = getComputedStyle(frame);
    var room = frame.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var fit = Math.min(1, room / image.naturalWidth);
    var width = image.naturalWidth * fit * zoom;
    var height = image.naturalHeight * fit * zoom;
    var turned = rotation === 90 || rotation === 270;
    image.style.width = width + "px";
    image.style.height = height + "px";
    canvas.style.width = (turned ? height : width) + "px";
    canvas.style.height = (turned ? width : height) + "px";
    var shift = { 0: "", 90: "translate(" + height + "px, 0) ", 180: "translate(" + width + "px, " + height + "px) ", 270: "translate(0, " + width + "px) " }[rotation];
    image.style.transform = shift + "rotate(" + rotation + "deg)";
  }

  function apply() {
    layout();
    status.textContent =
      "Page " + page + " / " + pages + " — zoom " + Math.round(zoom * 100) + " % — rotation " + rotation + "°";
  }

  function go(target) {
    if (target < 1 || target > pages) return;
    page = target;
    image.src = base + page + ".png";
    image.alt = label + ", page " + page;
    apply();
  }

  var actions = {
    prev: function () { go(page - 1); },
    next: function () { go(page + 1); },
    "zoom-in": function () { zoom = Math.min(zoom + 0.25, 4); apply(); },
    "zoom-out": function () { zoom = Math.max(zoom - 0.25, 0.25); apply(); },
    "rotate-left": function () { rotation = (rotation + 270) % 360; apply(); },
    "rotate-right": function () { rotation = (rotation + 90) % 360; apply(); },
    reset: function () { zoom = 1; rotation = 0; apply(); }
  };

  image.addEventListener("load", layout);
  window.addEventListener("resize", layout);
  if (image.complete) layout();

  viewer.querySelectorAll("[data-viewer]").forEach(function (button) {
    var name = button.getAttribute("data-viewer");
    if ((name === "prev" || name === "next") && pages < 2) return;
    button.hidden = false;
    button.addEventListener("click", actions[name]);
  });
})();
