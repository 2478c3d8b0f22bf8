/*
 * Born in France or abroad (état civil step): shows the fields that the
 * chosen answer requires and hides the others, and names the commune field
 * "Commune de naissance" (required) or "Ville de naissance (Optionnel)".
 * Without JavaScript every field is shown, labelled as the server decided.
 */
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=lieu_naissance]");
  var commune = document.getElementById("id_commune_naissance");
  if (!radios.length || !commune) {
    return;
  }
  var groupOf = function (id) {
    var input = document.getElementById(id);
    return input ? input.closest(".fr-input-group, .fr-select-group") : null;
  };
  var departement = groupOf("id_departement_naissance");
  var pays = groupOf("id_pays_naissance");
  var label = document.querySelector("label[for=id_commune_naissance]");
  var optional = commune.dataset.optional || " (Optionnel)";
  var labelText = label ? label.firstChild : null;

  function update() {
    var checked = document.querySelector("input[name=lieu_naissance]:checked");
    var abroad = checked && checked.value === "etranger";
    if (departement) departement.hidden = abroad;
    if (pays) pays.hidden = !abroad;
    if (labelText && labelText.nodeType === Node.TEXT_NODE) {
      labelText.nodeValue = abroad
        ? commune.dataset.labelEtranger + optional + " "
        : commune.dataset.labelFrance + " ";
    }
  }
  radios.forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
