/* Budget rows of a Django formset (<form data-formset="prefix">) added and removed without saving first.
   "Add" clones the formset's empty form (a <template data-formset-empty> with __prefix__ in its names)
   and raises TOTAL_FORMS; "Remove" ticks the row's DELETE box and hides the row. The total shown in
   #<data-total> is the running sum of the visible rows, one per currency. Without JS the page works as
   before (extra blank rows and DELETE boxes); the server validates either way. */
(function () {
  "use strict";

  function init(form) {
    var prefix = form.dataset.formset;
    var totalForms = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var body = form.querySelector("[data-formset-body]");
    var empty = form.querySelector("template[data-formset-empty]");
    var add = form.querySelector("[data-formset-add]");
    var out = document.getElementById(form.dataset.total);
    if (!totalForms || !body || !empty || !add) return;
    var lang = document.documentElement.lang || "en";
    var home = out ? out.dataset.currency : "";

    function field(row, name) {
      return row.querySelector("[name$='-" + name + "']");
    }

    function money(cents, currency) {
      try {
        return new Intl.NumberFormat(lang, { style: "currency", currency: currency }).format(cents / 100);
      } catch (e) {
        return (cents / 100).toFixed(2) + " " + currency;
      }
    }

    function recompute() {
      if (!out) return;
      var sums = {};
      body.querySelectorAll("tr[data-formset-row]").forEach(function (row) {
        if (row.hidden) return;
        var amount = field(row, "amount_0");
        var currency = field(row, "amount_1");
        if (!amount || !currency) return;
        var value = parseFloat(String(amount.value).replace(/[,\s]/g, ""));
        if (!isFinite(value)) return;
        sums[currency.value] = (sums[currency.value] || 0) + Math.round(value * 100);
      });
      var codes = Object.keys(sums).sort(function (a, b) {
        return (a !== home) - (b !== home) || (a < b ? -1 : a > b ? 1 : 0);
      });
      var parts = codes.map(function (c) { return money(sums[c], c); });
      out.textContent = parts.length ? parts.join(" + ") : money(0, home);
    }

    function enhance(row) {
      var del = field(row, "DELETE");
      if (!del || row.querySelector("[data-formset-remove]")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "linkish";
      button.setAttribute("data-formset-remove", "");
      button.textContent = form.dataset.removeLabel;
      button.addEventListener("click", function () {
        del.checked = true;
        row.hidden = true;
        recompute();
        add.focus();
      });
      del.hidden = true;
      del.parentNode.appendChild(button);
      if (del.checked) row.hidden = true; // removed before a refused save: stays removed
    }

    add.addEventListener("click", function () {
      var index = parseInt(totalForms.value, 10) || 0;
      var holder = document.createElement("tbody");
      holder.innerHTML = empty.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("tr");
      body.appendChild(row);
      totalForms.value = String(index + 1);
      enhance(row);
      recompute();
      var first = row.querySelector("select, input:not([type=hidden])");
      if (first) first.focus();
    });

    body.querySelectorAll("tr[data-formset-row]").forEach(enhance);
    form.addEventListener("input", recompute);
    form.addEventListener("change", recompute);
    add.hidden = false;
    recompute();
  }

  function start() {
    document.querySelectorAll("form[data-formset]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
