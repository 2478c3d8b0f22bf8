/* Progressive enhancement of the supporting-documents forms: the file is
   sent with XMLHttpRequest so a <progress> element can show the upload.
   Without JavaScript the same forms post normally. Each progress step is
   also dispatched as a "titres:upload-progress" event (detail: percent). */
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest) {
    return;
  }
  function setError(form, text) {
    var box = document.getElementById(form.getAttribute("data-error-id"));
    if (!box) {
      return;
    }
    box.textContent = text || "";
    box.hidden = !text;
  }
  function enhance(form) {
    var progress = form.querySelector("progress");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || !input.files.length) {
        return; // let the browser report the missing file
      }
      event.preventDefault();
      setError(form, "");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.responseType = "json";
      progress.value = 0;
      progress.hidden = false;
      button.disabled = true;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          progress.value = percent;
          document.dispatchEvent(new CustomEvent("titres:upload-progress", { detail: percent }));
        }
      });
      xhr.addEventListener("load", function () {
        var reply = xhr.response || {};
        if (xhr.status === 200 && reply.ok) {
          progress.value = 100;
          document.dispatchEvent(new CustomEvent("titres:upload-progress", { detail: 100 }));
          window.location.assign(reply.redirect);
          return;
        }
        progress.hidden = true;
        button.disabled = false;
        setError(form, reply.error || form.getAttribute("data-generic-error"));
      });
      xhr.addEventListener("error", function () {
        progress.hidden = true;
        button.disabled = false;
        setError(form, form.getAttribute("data-generic-error"));
      });
      xhr.send(new FormData(form));
    });
  }
  document.querySelectorAll("form.titres-upload").forEach(enhance);
})();
