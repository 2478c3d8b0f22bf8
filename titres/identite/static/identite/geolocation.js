// "Autour de moi": asks the browser for its position and submits the search
// with it. The coordinates travel in the query string of this one search
// and are never stored by the portal.
(function () {
  "use strict";
  var button = document.getElementById("rdv-geolocate");
  var form = document.getElementById("rdv-search");
  var status = document.getElementById("rdv-geolocate-status");
  if (!button || !form || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting || "Localisation en cours…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(4);
        form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(4);
        form.querySelector("[name=lieu]").value = "";
        form.submit();
      },
      function () {
        status.textContent = "Position indisponible : indiquez un code postal ou une commune.";
      },
      { maximumAge: 600000, timeout: 10000 }
    );
  });
})();
