/* Step 4: show what the chosen way of giving the photo needs (the code
 * field, or the slip to print). Without JavaScript both are shown. */
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=mode_photo]");
  var parts = document.querySelectorAll("[data-photo-mode]");
  var code = document.getElementById("id_code_ephoto");
  var label = document.querySelector("label[for=id_code_ephoto]");
  function update() {
    var checked = document.querySelector("input[name=mode_photo]:checked");
    // The code is required on the eService path only: the label says so.
    if (code && label && label.firstChild && label.firstChild.nodeType === Node.TEXT_NODE && checked) {
      label.firstChild.nodeValue = code.dataset.label +
        (checked.value === "ephoto" ? "" : code.dataset.optional) + " ";
    }
    parts.forEach(function (part) {
      part.hidden = !!checked && part.dataset.photoMode.split(" ").indexOf(checked.value) === -1;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
