// Forms on the pages a proxy may keep carry an empty CSRF token (portal/public_pages.py):
// this asks for the browser's own token (a header of /csrf-token) just before sending, so one click is enough.
// Without JavaScript (or if the request fails) the portal asks to confirm once instead.
(function () {
  "use strict";
  var script = document.currentScript;
  var tokenUrl = script && script.dataset.tokenUrl;
  if (!tokenUrl) return;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var field = form.querySelector('input[name="csrf_token"]');
    if (!field || field.value || form.dataset.tokenAsked) return;
    event.preventDefault();
    form.dataset.tokenAsked = "1";
    var submitter = event.submitter;
    fetch(tokenUrl, { credentials: "same-origin" })
      .then(function (response) { return response.headers.get("X-CSRFToken") || ""; })
      .catch(function () { return ""; })
      .then(function (token) {
        field.value = token;
        if (form.requestSubmit) form.requestSubmit(submitter || undefined);
        else form.submit();
      });
  });
})();
