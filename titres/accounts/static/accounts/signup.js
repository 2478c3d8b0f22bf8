// Shows only the professional fields that the chosen profile needs.
// Without JavaScript every field stays visible and the server checks them.
(function () {
  "use strict";
  var form = document.getElementById("signup-form");
  if (!form) { return; }
  var select = form.querySelector("select[name=profile]");
  var groups = form.querySelectorAll("[data-titres-profiles]");
  var fieldset = form.querySelector("[data-titres-pro]");
  function update() {
    var visible = 0;
    groups.forEach(function (group) {
      var show = group.getAttribute("data-titres-profiles").split(" ").indexOf(select.value) !== -1;
      group.hidden = !show;
      if (show) { visible += 1; }
    });
    if (fieldset) { fieldset.hidden = visible === 0; }
  }
  select.addEventListener("change", update);
  update();
})();
