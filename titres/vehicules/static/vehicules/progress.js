/* Bulk download: follow the background task (progress bar + live text);
   once the archive is ready, reload to show the download link. Without
   JavaScript the page's « Actualiser » link does the same. */
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.faites;
        bar.max = state.total || 1;
        text.textContent = state.libelle + " : " + state.faites + " / " + state.total + " (" + state.pourcentage + " %)";
        if (state.etat === "prete" || state.etat === "echec") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
