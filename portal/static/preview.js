// Live Markdown preview. Each editor's Preview button (portal/templates/_forms.html) names
// its textarea and preview area; here it asks the server's one renderer (POST /preview, the
// CSRF token in a header) and shows the result in place, then follows the typing. Without
// JavaScript, or when the request fails, the button submits the form: the page comes back
// with the preview and the text kept.
(function () {
  "use strict";

  function csrfToken(form) {
    var field = form && form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  document.querySelectorAll("[data-preview-source]").forEach(function (button) {
    var source = document.getElementById(button.dataset.previewSource);
    var target = document.getElementById(button.dataset.previewTarget);
    var body = target && target.querySelector("[data-preview-body]");
    if (!source || !body) return;
    var live = false, fallback = false, timer = null;

    function render() {
      var data = new FormData();
      data.append("text", source.value);
      fetch(button.dataset.previewUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(button.form), "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      }).then(function (json) {
        body.innerHTML = json.html;  // sanitized by the server's allowlist (nh3)
        target.hidden = false;
      }).catch(function () {
        fallback = true;  // let the button do its plain job: the page with the preview
        button.click();
      });
    }

    button.addEventListener("click", function (event) {
      if (fallback) return;
      event.preventDefault();
      live = true;
      render();
    });
    source.addEventListener("input", function () {
      if (!live) return;
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
  });
})();
