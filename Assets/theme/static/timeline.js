// Kiosk Timeline: small progressive enhancements. Pages work without this file.
// Loaded as an external script (no inline code) so pages run under a strict CSP.
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.getAttribute("data-idle-timeout"), 10) || 120;
  var home = document.querySelector("header.site .exhibit a");
  var timer = null;
  // After a visitor walks away, return to the timeline's start for the next one.
  function reset() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(function () {
      if (home && location.pathname !== home.getAttribute("href")) { location.href = home.getAttribute("href"); }
      else { window.scrollTo(0, 0); }
    }, timeout * 1000);
  }
  ["pointerdown", "keydown", "wheel", "touchstart"].forEach(function (name) {
    window.addEventListener(name, reset, { passive: true });
  });
  reset();
})();
