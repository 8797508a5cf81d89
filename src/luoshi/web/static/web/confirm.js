// Forms marked data-confirm ask once before they post (验收, 退回, 沿用上期…). Listening on the
// document in the capture phase runs before htmx's own submit handler, so a "no" stops both.
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
