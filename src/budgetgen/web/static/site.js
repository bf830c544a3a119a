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

// The department's forms: add, remove and reorder the rows of a grid; a problem's link opens its part.
(function () {
  var form = document.getElementById("department-form");
  if (!form) return;
  var counter = 0;
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("row-add")) {
      var table = form.querySelector('table[data-grid="' + button.dataset.grid + '"]');
      var template = table.querySelector("tr.row-template");
      var fresh = template.cloneNode(true);
      var key = "n" + Date.now().toString(36) + (counter++);
      fresh.hidden = false;
      fresh.classList.remove("row-template");
      fresh.querySelectorAll("[name]").forEach(function (input) {
        input.name = input.name.replace("__ROW__", key);
        input.id = input.name;
      });
      template.parentNode.insertBefore(fresh, template);
      var first = fresh.querySelector("input, select, textarea");
      if (first) first.focus();
    } else if (button.classList.contains("row-remove") && row) {
      row.parentNode.removeChild(row);
    } else if (button.classList.contains("row-up") && row && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains("row-down") && row && row.nextElementSibling && !row.nextElementSibling.classList.contains("row-template")) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
  });
  // the template rows are not posted: their fields are disabled until cloned
  form.addEventListener("submit", function () {
    form.querySelectorAll("tr.row-template [name]").forEach(function (input) { input.disabled = true; });
  });
  document.querySelectorAll("a.jump").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.dataset.target);
      if (!field) return;
      event.preventDefault();
      var part = field.closest("details");
      if (part) part.open = true;
      field.scrollIntoView({ block: "center" });
      field.focus();
    });
  });
})();

// 生成: a sign of life while the build runs, and no second click.
(function () {
  var form = document.getElementById("build-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    var button = document.getElementById("build-button");
    var progress = document.getElementById("build-progress");
    button.disabled = true;
    progress.hidden = false;
    progress.textContent = button.dataset.busy;
    var started = Date.now();
    setInterval(function () {
      progress.textContent = button.dataset.busy + "（已 " + Math.round((Date.now() - started) / 1000) + " 秒）";
    }, 1000);
  });
})();

// 删除 asks first.
document.querySelectorAll("button[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});

// The department list: sort by a column, filter by any text.
(function () {
  var table = document.getElementById("departments");
  if (!table) return;
  var body = table.tBodies[0];
  table.querySelectorAll("th[data-sort]").forEach(function (header, column) {
    header.addEventListener("click", function () {
      var ascending = header.dataset.order !== "asc";
      header.dataset.order = ascending ? "asc" : "desc";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var result = header.dataset.sort === "number" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "zh-CN");
        return ascending ? result : -result;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  var filter = document.getElementById("list-filter");
  if (filter) filter.addEventListener("input", function () {
    var word = filter.value.trim();
    Array.prototype.forEach.call(body.rows, function (row) {
      row.hidden = word !== "" && row.textContent.indexOf(word) < 0;
    });
  });
})();

// The YAML editor: line numbers beside the text, the lines a check named marked, a jump from each problem.
(function () {
  var editor = document.getElementById("editor");
  var gutter = document.getElementById("gutter");
  if (!editor || !gutter) return;
  var marks = {};
  (editor.dataset.marks || "").split(";").forEach(function (pair) {
    var parts = pair.split(":");
    if (parts.length === 2 && !marks[parts[0]]) marks[parts[0]] = parts[1];
  });
  function draw() {
    var count = editor.value.split("\n").length;
    var lines = [];
    for (var i = 1; i <= count; i++) {
      lines.push(marks[i] ? '<span class="mark-' + marks[i] + '">' + i + "</span>" : String(i));
    }
    gutter.innerHTML = lines.join("\n");
    gutter.scrollTop = editor.scrollTop;
  }
  editor.addEventListener("input", draw);
  editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
  draw();
  document.querySelectorAll("a.jump-line").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var line = parseInt(link.dataset.line, 10);
      var text = editor.value.split("\n");
      var start = 0;
      for (var i = 0; i < line - 1 && i < text.length; i++) start += text[i].length + 1;
      var end = start + (text[line - 1] || "").length;
      editor.focus();
      editor.setSelectionRange(start, end);
      var height = editor.scrollHeight / Math.max(text.length, 1);
      editor.scrollTop = Math.max(0, (line - 5) * height);
      gutter.scrollTop = editor.scrollTop;
    });
  });
})();
