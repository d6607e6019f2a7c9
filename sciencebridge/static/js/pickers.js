/* Searchable pickers for long selects (<select data-picker>): the vendored tom-select turns them into a
   search-as-you-type box. The option labels come localised from the server (code and name in the page's
   language), and the picker searches them. Without JS, or if tom-select did not load, the plain select
   stays as it is. */
(function () {
  "use strict";

  function noResults(text) {
    return function () {
      var div = document.createElement("div");
      div.className = "no-results";
      div.textContent = text;
      return div;
    };
  }

  function init() {
    if (typeof window.TomSelect !== "function") return;
    document.querySelectorAll("select[data-picker]").forEach(function (el) {
      if (el.tomselect) return;
      var d = el.dataset;
      new window.TomSelect(el, {
        plugins: { remove_button: { title: d.removeLabel || "" } },
        maxOptions: null,
        searchField: ["text"],
        placeholder: d.placeholder || "",
        hidePlaceholder: true,
        closeAfterSelect: true,
        render: { no_results: noResults(d.noResults || "") },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
