// Forms marked data-confirm ask once before they post (验收, 退回, 沿用上期…); a button's own
// data-confirm wins over its form's, and "{n}" is the number of reports ticked for a bulk action.
// Listening on the document in the capture phase runs before htmx's own submit handler, so a "no"
// stops both.
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var button = event.submitter;
    var question =
      (button && button.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (!question) return;
    if (question.indexOf("{n}") >= 0) {
      var ticked = Array.prototype.filter.call(form.elements, function (el) {
        return el.name === "pick" && el.checked;
      }).length;
      question = question.replace("{n}", String(ticked));
    }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
// A "select all" box ticks every box of its name in the same form.
document.addEventListener("change", function (event) {
  var all = event.target;
  var name = all.getAttribute && all.getAttribute("data-select-all");
  if (!name || !all.form) return;
  Array.prototype.forEach.call(all.form.elements, function (el) {
    if (el.name === name && el.type === "checkbox") el.checked = all.checked;
  });
});
