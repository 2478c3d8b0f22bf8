// QR scan at the counter with the browser's BarcodeDetector (Chromium,
// Edge, Android). Where it is missing the button stays hidden: a handheld
// scanner types into the field like a keyboard. The image never leaves the
// browser; only the decoded number is submitted.
(function () {
  "use strict";
  var button = document.getElementById("counter-scan");
  var video = document.getElementById("counter-video");
  var form = document.getElementById("counter-form");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.classList.remove("fr-hidden");
        video.play();
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              stream.getTracks().forEach(function (track) { track.stop(); });
              form.querySelector("[name=numero]").value = codes[0].rawValue;
              form.submit();
            } else {
              window.requestAnimationFrame(tick);
            }
          });
        };
        tick();
      });
  });
})();
