// A running broadcast's status, statistics and chart, fetched again every second
// until it no longer runs.
(function () {
  var live = document.getElementById("live");
  function running() {
    var part = live.querySelector(".live");
    return part && part.dataset.running === "yes";
  }
  function poll() {
    if (!running()) return;
    fetch(live.dataset.src, {credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer); })
      .then(function (html) { live.innerHTML = html; })
      .finally(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 1000);
})();
