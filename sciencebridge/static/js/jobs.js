// Poll a background job and update its progress bar until it finishes.
document.querySelectorAll("[data-status-url]").forEach(function (el) {
  var url = el.getAttribute("data-status-url");
  var bar = el.querySelector(".bar");
  var msg = document.querySelector(".job-message");
  var state = document.querySelector(".job-state");
  function tick() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (j) {
      bar.style.width = j.percent + "%";
      if (msg) msg.textContent = j.message + (j.total ? " (" + j.progress + "/" + j.total + ")" : "");
      if (state) state.textContent = (j.status_label || j.state) + (j.reason ? ": " + j.reason : (j.error ? ": " + j.error : ""));
      if (j.state === "done" || j.state === "failed" || j.state === "cancelled") {
        el.dispatchEvent(new CustomEvent("job-finished", { detail: j, bubbles: true }));
      } else { setTimeout(tick, 700); }
    });
  }
  tick();
});
