// Behaviour shared by every page of the portal (loaded by base.html).
(function () {
  "use strict";

  // After a failed submit, move focus to the error summary so it is read
  // first (RGAA 11.10); its links lead to each field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    // A link of the summary puts the focus in its field (a fragment link
    // alone only scrolls), its label kept in view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']") || field;
      label.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  // The "Menu" skip link: below 992 px the navigation sits in DSFR's menu
  // dialog, hidden until opened; the link then opens it (focus goes in).
  var menuLink = document.querySelector(".fr-skiplinks a[href='#header-navigation']");
  var menuButton = document.getElementById("button-menu");
  var navigation = document.getElementById("header-navigation");
  if (menuLink && menuButton && navigation) {
    menuLink.addEventListener("click", function (event) {
      // Wide screens: no menu button, the navigation is on the page.
      if (!menuButton.getClientRects().length) {
        return;
      }
      event.preventDefault();
      var modal = document.getElementById(menuButton.getAttribute("aria-controls"));
      if (window.dsfr && modal) {
        window.dsfr(modal).modal.disclose();
      } else {
        menuButton.click();
      }
      window.setTimeout(function () {
        var first = navigation.querySelector("a, button");
        if (first) { first.focus(); }
      }, 100);
    });
  }

  // --- Session expiry (WCAG 2.2.1) -------------------------------------
  // Signed-in pages carry #session-warning. Shown before the idle session
  // ends, with "Rester connecté(e)"; if nobody answers, what was typed in
  // the page's forms is kept in this tab (sessionStorage, gone when the
  // tab closes) and the login page says why the person is there. After
  // signing in again, the page puts the typed values back.
  var warning = document.getElementById("session-warning");
  if (!warning) {
    return;
  }
  var STORE_PREFIX = "titres-unsaved:";
  var storeKey = STORE_PREFIX + window.location.pathname;
  var SKIPPED_TYPES = ["password", "hidden", "file", "submit", "button"];

  function typedForms() {
    return Array.prototype.filter.call(
      document.querySelectorAll("main form[method=post], main form[method=POST]"),
      function (form) { return !form.hasAttribute("data-session-keepalive"); }
    );
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && SKIPPED_TYPES.indexOf(el.type) === -1 && el.name !== "csrfmiddlewaretoken";
    });
  }

  function keepTyped() {
    var values = {};
    typedForms().forEach(function (form, formIndex) {
      fieldsOf(form).forEach(function (el, index) {
        var key = formIndex + ":" + el.name + ":" + index;
        if (el.type === "radio" || el.type === "checkbox") {
          values[key] = el.checked;
        } else if (el.value) {
          values[key] = el.value;
        }
      });
    });
    try {
      window.sessionStorage.setItem(storeKey, JSON.stringify(values));
    } catch (e) { /* storage full or disabled: nothing more we can keep */ }
  }

  function restoreTyped() {
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(storeKey);
      window.sessionStorage.removeItem(storeKey);
    } catch (e) { return; }
    if (!raw) {
      return;
    }
    var values = JSON.parse(raw);
    var restored = false;
    typedForms().forEach(function (form, formIndex) {
      fieldsOf(form).forEach(function (el, index) {
        var key = formIndex + ":" + el.name + ":" + index;
        if (!(key in values)) {
          return;
        }
        if (el.type === "radio" || el.type === "checkbox") {
          if (values[key] && !el.checked) { el.checked = true; restored = true; }
        } else if (!el.value && values[key]) {
          // Never overwrite what the server shows: only empty fields.
          el.value = values[key];
          el.dispatchEvent(new Event("change", { bubbles: true }));
          restored = true;
        }
      });
    });
    if (restored) {
      var notice = document.createElement("div");
      notice.className = "fr-alert fr-alert--info fr-alert--sm fr-mb-3w";
      notice.setAttribute("role", "status");
      var text = document.createElement("p");
      text.textContent = warning.dataset.restoredText;
      notice.appendChild(text);
      var main = document.querySelector("main");
      main.insertBefore(notice, main.firstChild);
    }
  }

  var age = parseInt(warning.dataset.sessionAge, 10) * 1000;
  if (!(age > 0)) {
    return;
  }
  var warnBefore = Math.min(120000, age / 4);
  var remaining = warning.querySelector("[data-session-remaining]");
  var timers = [];
  var deadline = 0;

  function clearTimers() {
    timers.forEach(function (t) { clearTimeout(t); clearInterval(t); });
    timers = [];
  }

  function showRemaining() {
    if (!remaining) { return; }
    var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(seconds / 60);
    remaining.textContent = minutes >= 1
      ? minutes + " min " + (seconds % 60 ? (seconds % 60) + " s" : "")
      : seconds + " s";
  }

  function show() {
    warning.hidden = false;
    showRemaining();
    // Updated every 15 s only: a live countdown would flood screen readers.
    timers.push(setInterval(showRemaining, 15000));
    warning.querySelector("button").focus();
  }

  function expire() {
    keepTyped();
    var url = warning.dataset.loginUrl + "?session=expiree&next=" +
      encodeURIComponent(warning.dataset.next || window.location.pathname);
    window.location.assign(url);
  }

  function schedule(ms) {
    clearTimers();
    deadline = Date.now() + ms;
    timers.push(setTimeout(show, Math.max(ms - warnBefore, 0)));
    // A little after the server's own expiry, so the login page is shown.
    timers.push(setTimeout(expire, ms + 2000));
  }

  warning.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error("session ended"); }
        return response.json();
      })
      .then(function (data) {
        warning.hidden = true;
        schedule(data.expires_in * 1000);
      })
      .catch(expire);
  });

  restoreTyped();
  schedule(age);
})();
