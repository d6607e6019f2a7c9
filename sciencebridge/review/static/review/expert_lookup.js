// The run page's "Add a reviewer" fields: as the officer types two letters or more, the run's
// expert lookup (JSON) fills the shared datalist with the admitted experts the text names. The
// form works without this script: the server resolves a typed name, e-mail or expert number.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-lookup-url");
  var list = document.getElementById("expert-suggestions");
  if (!url || !list) return;
  var timer = null;
  var last = "";

  function fill(results) {
    list.textContent = "";
    results.forEach(function (r) {
      var option = document.createElement("option");
      option.value = r.label;
      list.appendChild(option);
    });
  }

  function lookup(text) {
    if (text === last) return;
    last = text;
    fetch(url + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (text === last) fill(data.results || []); })
      .catch(function () { /* suggestions are a convenience: the form still works */ });
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.classList || !field.classList.contains("expert-lookup")) return;
    var text = field.value.trim();
    clearTimeout(timer);
    if (text.length < 2 || /#\s*\d+$/.test(text)) return;
    timer = setTimeout(function () { lookup(text); }, 200);
  });
})();
