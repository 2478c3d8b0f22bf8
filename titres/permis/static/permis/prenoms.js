/*
 * "+ Ajouter un prénom" (progressive enhancement of the état civil step).
 *
 * The server renders several inputs named "prenoms" (all visible without
 * JavaScript). This script keeps the first two and the filled ones visible,
 * hides the other empty ones and adds a button that shows the next one (or
 * creates a new one, up to data-prenoms-max), moving the focus to it.
 */
(function () {
  "use strict";

  function attach(container) {
    var max = parseInt(container.dataset.prenomsMax || "8", 10);
    var labelTemplate = container.dataset.prenomsLabel || "%(n)sème prénom";
    var rows = Array.prototype.slice.call(container.querySelectorAll("[data-prenoms-row]"));
    if (!rows.length) {
      return;
    }
    rows.forEach(function (row, index) {
      var input = row.querySelector("input");
      if (index >= 2 && !input.value) {
        row.hidden = true;
      }
    });

    var button = document.createElement("button");
    button.type = "button";
    button.className = "fr-btn fr-btn--tertiary-no-outline fr-btn--sm";
    button.textContent = container.dataset.prenomsAdd || "+ Ajouter un prénom";
    container.appendChild(button);

    function refresh() {
      var all = container.querySelectorAll("[data-prenoms-row]");
      var hidden = container.querySelectorAll("[data-prenoms-row][hidden]");
      button.hidden = hidden.length === 0 && all.length >= max;
    }

    button.addEventListener("click", function () {
      var next = container.querySelector("[data-prenoms-row][hidden]");
      if (!next) {
        var all = container.querySelectorAll("[data-prenoms-row]");
        if (all.length >= max) {
          return;
        }
        var last = all[all.length - 1];
        var number = all.length + 1;
        next = last.cloneNode(true);
        var input = next.querySelector("input");
        var label = next.querySelector("label");
        var id = input.id.replace(/_\d+$/, "_" + (number - 1));
        input.id = id;
        input.value = "";
        label.setAttribute("for", id);
        label.textContent = labelTemplate.replace("%(n)s", String(number));
        last.insertAdjacentElement("afterend", next);
      }
      next.hidden = false;
      next.querySelector("input").focus();
      refresh();
    });
    refresh();
  }

  function init() {
    document.querySelectorAll("[data-prenoms]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
