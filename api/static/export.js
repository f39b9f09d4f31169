// "All rows" CSV export with progress: the download is read as a stream so the
// page can say how many rows have arrived; without fetch streams the plain link
// works as before.
(function () {
  "use strict";
  var link = document.getElementById("csv");
  var status = document.getElementById("csv-progress");
  if (!link || !status || !window.fetch || !window.ReadableStream) return;
  link.addEventListener("click", function (ev) {
    ev.preventDefault();
    status.textContent = "正在导出 exporting…";
    fetch(link.href).then(function (resp) {
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText);
      var reader = resp.body.getReader(), chunks = [], rows = 0;
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) return;
          chunks.push(part.value);
          for (var i = 0; i < part.value.length; i++) if (part.value[i] === 10) rows++;
          status.textContent = "已导出 " + Math.max(0, rows - 1) + " 行 rows…";
          return pump();
        });
      }
      return pump().then(function () {
        var url = URL.createObjectURL(new Blob(chunks, { type: "text/csv" }));
        var a = document.createElement("a");
        a.href = url;
        a.download = link.getAttribute("data-name") || "export.csv";
        document.body.appendChild(a);
        a.click();
        a.remove();
        status.textContent = "完成 done: " + Math.max(0, rows - 1) + " 行 rows";
        status.setAttribute("data-rows", String(Math.max(0, rows - 1)));
      });
    }).catch(function (err) { status.textContent = "导出失败 export failed: " + err.message; });
  });
})();
