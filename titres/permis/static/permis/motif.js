/* Step 1: show the sentence of the chosen reason under the choice (seed 002). */
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=motif]");
  var sentences = document.querySelectorAll("[data-motif-sentence]");
  function update() {
    var checked = document.querySelector("input[name=motif]:checked");
    sentences.forEach(function (p) {
      p.hidden = !checked || p.dataset.motifSentence !== checked.value;
    });
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
