// Polls a job's status URL and updates its progress bar; reloads the page when it finishes.
(function () {
  var box = document.querySelector("[data-status-url]");
  if (!box || box.dataset.finished === "true") return;
  var bar = document.getElementById("report-progress");
  var label = document.getElementById("report-progress-label");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        bar.value = s.progress;
        label.textContent = s.progress + "% · " + s.label;
        if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 4000); });
  }
  setTimeout(poll, 700);
})();
