// Document view: "back to results" returns to the page the user came from when
// that page is on this site; the marked passage is scrolled into view below the
// sticky header.
(function () {
  "use strict";
  var back = document.getElementById("back");
  if (back && document.referrer) {
    try {
      var ref = new URL(document.referrer);
      if (ref.origin === window.location.origin && ref.pathname.indexOf("/documents/") !== 0) {
        back.href = ref.pathname + ref.search;
      }
    } catch (e) { /* keep the server's link */ }
  }
  // a PDF page's tables as HTML tables, fetched when its page image is opened
  function loadTables(details) {
    var box = details.querySelector(".tables");
    if (!box || details.getAttribute("data-loaded")) return;
    details.setAttribute("data-loaded", "1");
    fetch(details.getAttribute("data-tables")).then(function (r) { return r.text(); })
      .then(function (html) { box.innerHTML = html; box.setAttribute("data-ready", "1"); })
      .catch(function () { box.textContent = "表格不可用 tables unavailable"; });
  }
  document.querySelectorAll("details.page-image[data-tables]").forEach(function (d) {
    if (d.open) loadTables(d);
    d.addEventListener("toggle", function () { if (d.open) loadTables(d); });
  });
  // the marked passage just below the sticky header (the #anchor alone puts it under it)
  function toCurrent() {
    var current = document.querySelector(".para.current");
    var head = document.getElementById("doc-head");
    if (current) {
      var below = head && getComputedStyle(head).position === "sticky" ? head.offsetHeight + 8 : 8;
      window.scrollTo(0, current.getBoundingClientRect().top + window.scrollY - below);
    }
    document.body.setAttribute("data-scrolled", "1");
  }
  if (document.readyState === "complete") toCurrent();
  else window.addEventListener("load", toCurrent);
})();
