// Times come from the server in the user's saved zone, or in UTC when they saved none.
// Then this script shows those (<time data-localize>) in the browser's zone; the title
// keeps the exact UTC time. Without JavaScript the labelled UTC text stays.
(function () {
  "use strict";
  var styles = {
    datetime: {
      day: "2-digit", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
    },
    date: { day: "2-digit", month: "short", year: "numeric" }
  };
  var formatters = {};

  function formatter(style) {
    if (!formatters[style]) {
      // en-GB reads like the server's text: "15 Jan 2025, 07:00 GMT-5".
      formatters[style] = new Intl.DateTimeFormat("en-GB", styles[style] || styles.datetime);
    }
    return formatters[style];
  }

  function localize(root) {
    root.querySelectorAll("time[data-localize]").forEach(function (element) {
      var when = new Date(element.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      element.textContent = formatter(element.dataset.localize).format(when);
      element.removeAttribute("data-localize");
    });
  }

  function showDetectedZone() {
    var hint = document.getElementById("detected-time-zone");
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!hint || !zone) return;
    hint.querySelector("[data-detected-time-zone]").textContent = zone;
    hint.hidden = false;
  }

  localize(document);
  showDetectedZone();
})();
