// The directory's search: "Autour de moi" (the browser's position, rounded
// to about a kilometre, sent with this one search and never stored) and the
// communes' suggestions. Without JavaScript the form works as it is.
(function () {
  "use strict";
  var form = document.getElementById("annuaire-search");
  if (!form) {
    return;
  }
  var place = form.querySelector("[name=lieu]");
  var button = document.getElementById("annuaire-geolocate");
  var status = document.getElementById("annuaire-geolocate-status");
  if (button && "geolocation" in navigator) {
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.waiting;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(2);
          form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(2);
          form.querySelector("[name=insee]").value = "";
          place.value = "";
          form.submit();
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { maximumAge: 600000, timeout: 10000 }
      );
    });
  }
  // Typing a place forgets a previous position or chosen commune.
  var list = document.getElementById("annuaire-communes");
  var timer = null;
  place.addEventListener("input", function () {
    form.querySelector("[name=latitude]").value = "";
    form.querySelector("[name=longitude]").value = "";
    form.querySelector("[name=insee]").value = "";
    clearTimeout(timer);
    var query = place.value.trim();
    if (query.length < 2 || /^\d{5}\s/.test(query)) {
      return;
    }
    timer = setTimeout(function () {
      fetch(place.dataset.url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
