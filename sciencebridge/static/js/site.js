/* Site-wide behaviour, loaded in <head> (small, cached): the menu that collapses on a phone, and a tab
   title for pages that do not name themselves. Everything works without it: the menu is then open. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function setUpMenu() {
    var toggle = document.querySelector(".navtoggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) { return; }
    toggle.hidden = false;
    function set(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      root.classList.toggle("menu-open", open);
    }
    toggle.addEventListener("click", function () { set(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") { set(false); toggle.focus(); }
    });
  }

  /* A page without its own {% block title %} shows "ScienceBridge · ScienceBridge": use its heading. */
  function nameTheTab() {
    var suffix = " · ScienceBridge", h1 = document.querySelector("main h1");
    var generic = document.title.split(suffix)[0];
    if (h1 && generic === root.dataset.defaultTitle) {
      document.title = h1.textContent.replace(/\s+/g, " ").trim() + suffix;
    }
  }

  /* The section the page belongs to: the navigation link with the longest matching path. */
  function markCurrentSection() {
    var here = window.location.pathname, best = null, bestLength = 0;
    document.querySelectorAll(".mainnav a").forEach(function (a) {
      var path = new URL(a.href, window.location.href).pathname;
      if (here.indexOf(path) === 0 && path.length > bestLength) { best = a; bestLength = path.length; }
    });
    if (best) { best.setAttribute("aria-current", "page"); }
  }

  /* Wide tables scroll sideways inside their own box instead of pushing the page wider than the screen. */
  function scrollWideTables() {
    document.querySelectorAll("main table.table").forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) { return; }
      var box = document.createElement("div");
      box.className = "table-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu(); nameTheTab(); markCurrentSection(); scrollWideTables();
  });
})();
