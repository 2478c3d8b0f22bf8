/*
 * Communes autocompletion (progressive enhancement; the server validates
 * the pair postal code / commune anyway).
 *
 * Markup expected on the postal code input:
 *   <input id="id_code_postal" data-communes-url="/permis/communes/"
 *          data-communes-target="id_commune"
 *          data-communes-prefecture="id_prefecture">   (optional)
 * The target may be a <select> (its options are replaced) or an <input>
 * (a <datalist> is attached to it). When the postal code has 5 digits the
 * communes of that code are fetched; a single commune is filled in, and the
 * optional prefecture <select> gets the département's prefecture by default
 * unless the person already chose one. A commune typed for an earlier
 * postal code and not in the new one is replaced (one commune) or cleared
 * (several). What happened is said in a polite live region after the postal
 * code, with the texts of data-communes-one / -many / -none ({n}, {commune}
 * and {code} replaced).
 */
(function () {
  "use strict";

  function clear(element) {
    while (element.firstChild) {
      element.removeChild(element.firstChild);
    }
  }

  function option(value, label) {
    var opt = document.createElement("option");
    opt.value = value;
    opt.textContent = label === undefined ? value : label;
    return opt;
  }

  function datalistFor(input) {
    var id = input.id + "-communes";
    var list = document.getElementById(id);
    if (!list) {
      list = document.createElement("datalist");
      list.id = id;
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("list", id);
    }
    return list;
  }

  function statusFor(input) {
    var id = input.id + "-communes-status";
    var status = document.getElementById(id);
    if (!status) {
      status = document.createElement("p");
      status.id = id;
      status.className = "fr-hint-text fr-mt-1w";
      status.setAttribute("aria-live", "polite");
      var group = input.closest(".fr-input-group") || input;
      group.insertAdjacentElement("beforeend", status);
    }
    return status;
  }

  function announce(input, results, code, target) {
    var template = results.length === 0
      ? input.dataset.communesNone
      : results.length === 1 ? input.dataset.communesOne : input.dataset.communesMany;
    if (!template) {
      return;
    }
    statusFor(input).textContent = template
      .replace("{n}", String(results.length))
      .replace("{code}", code)
      .replace("{commune}", target.value || (results[0] ? results[0].nom : ""));
  }

  function fill(target, results) {
    var names = results.map(function (r) { return r.nom; });
    if (target.tagName === "SELECT") {
      var previous = target.value;
      clear(target);
      if (names.length !== 1) {
        target.appendChild(option("", target.dataset.communesPlaceholder || "—"));
      }
      names.forEach(function (name) { target.appendChild(option(name)); });
      if (names.indexOf(previous) !== -1) {
        target.value = previous;
      }
    } else {
      var list = datalistFor(target);
      clear(list);
      names.forEach(function (name) { list.appendChild(option(name)); });
      var stale = target.value && names.indexOf(target.value) === -1;
      if (names.length === 1 && (!target.value || stale)) {
        target.value = names[0];
      } else if (stale) {
        target.value = "";
      }
    }
    target.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function setPrefecture(select, departement) {
    if (!select || !departement || select.dataset.communesTouched === "1") {
      return;
    }
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === departement) {
        select.value = departement;
        return;
      }
    }
  }

  function attach(input) {
    var target = document.getElementById(input.dataset.communesTarget);
    if (!target) {
      return;
    }
    var prefecture = document.getElementById(input.dataset.communesPrefecture || "");
    if (prefecture) {
      prefecture.addEventListener("change", function (event) {
        if (event.isTrusted) {
          prefecture.dataset.communesTouched = "1";
        }
      });
    }
    var lastCode = null;
    var controller = null;

    function update() {
      var code = input.value.replace(/\s+/g, "");
      if (!/^[0-9]{5}$/.test(code) || code === lastCode) {
        return;
      }
      lastCode = code;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var url = input.dataset.communesUrl + "?code_postal=" + encodeURIComponent(code);
      fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          fill(target, data.results);
          announce(input, data.results, code, target);
          if (data.results.length) {
            setPrefecture(prefecture, data.results[0].departement);
          }
        })
        .catch(function () {
          lastCode = null; /* the form still works without suggestions */
        });
    }

    input.addEventListener("input", update);
    input.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("input[data-communes-url]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  window.TitresCommunes = { init: init };
})();
