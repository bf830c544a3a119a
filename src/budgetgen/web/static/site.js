// budgetgen's page script: the batch page's progress, read by polling /batch/status.
(function () {
  var box = document.getElementById("batch-progress");
  if (!box || box.dataset.running !== "yes") return;
  function poll() {
    fetch("/batch/status", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        document.getElementById("batch-bar").max = s.total || 1;
        document.getElementById("batch-bar").value = s.finished;
        document.getElementById("batch-text").textContent = s.finished + " / " + s.total + " " + (s.message || "");
        var list = document.getElementById("batch-rows");
        list.innerHTML = "";
        s.rows.forEach(function (r) {
          var item = document.createElement("li");
          item.textContent = r.file + "：" + r.status + (r.skipped ? "（未变，跳过）" : "");
          list.appendChild(item);
        });
        if (s.running) { setTimeout(poll, 1000); }
        else {
          document.getElementById("summary-link").hidden = false;
          document.getElementById("batch-button").disabled = false;
        }
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
