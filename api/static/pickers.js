// Suggestions for region/org filter inputs (input[data-suggest]) from /api/places:
// the values the index holds, so a picked name always matches something.
(function () {
  "use strict";
  function fill(input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var url = "/api/places?field=" + encodeURIComponent(input.dataset.suggest) +
              "&q=" + encodeURIComponent(input.value.trim()) + "&limit=30";
    fetch(url).then(function (r) { return r.ok ? r.json() : { items: [] }; }).then(function (data) {
      list.textContent = "";
      data.items.forEach(function (it) {
        var opt = document.createElement("option");
        opt.value = it.name;
        if (it.path && it.path.length > 1) opt.label = it.path.join(" › ");
        list.appendChild(opt);
      });
    }).catch(function () { /* suggestions are optional */ });
  }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var timer = null;
    input.addEventListener("focus", function () { fill(input); }, { once: true });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fill(input); }, 200);
    });
  });
})();
