// Import/export job pages: poll the job's JSON status and move the progress bar; reload when it ends.
// A static file because the Content Security Policy forbids inline scripts.
(function () {
  "use strict";
  var box = document.querySelector(".import-status[data-status-url]");
  if (!box || box.getAttribute("data-in-progress") !== "1") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var startState = box.getAttribute("data-state");
  var bar = box.querySelector("progress");
  var label = box.querySelector("[data-state-label]");
  var text = box.querySelector("[data-progress-text]");
  var number = new Intl.NumberFormat("id-ID");

  function show(status) {
    if (label) { label.textContent = status.state_label; }
    if (bar) {
      bar.max = status.total_rows || 1;
      bar.value = status.processed_rows;
      bar.textContent = status.percent + "%";
    }
    if (text) { text.textContent = number.format(status.processed_rows) + " / " + number.format(status.total_rows); }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        show(status);
        if (status.finished || (status.state !== startState && status.state === "ready")) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
