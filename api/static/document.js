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
  var current = document.querySelector(".para.current");
  if (current) current.scrollIntoView({ block: "start" });
})();
