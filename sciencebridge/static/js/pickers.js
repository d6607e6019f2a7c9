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
        // tom-select waits 300 ms after the last key before it filters; an option picked inside that
        // window was followed by the late filter reopening the list over the form's save button.
        // The options are all in the page (~150), so filtering on every key costs nothing.
        refreshThrottle: 0,
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
