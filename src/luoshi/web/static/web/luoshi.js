// Page behaviour without inline handlers (the Content-Security-Policy allows no inline script).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.classList && field.classList.contains("autosubmit") && field.form) field.form.submit();
});
// Never lose typed text: a form refused by the server usually comes back through a redirect with an
// error message. What was typed into a posting form is kept in this tab for one page load and put
// back into the same form (same action) when the next page shows an error; fields the server
// already filled are left alone. The report form saves itself (report.js) and htmx rows stay put.
(function () {
  var KEY = "luoshi-typed";
  var TEXTUAL = /^(text|date|number|email|tel|url|search|month)$/;
  function kept(el) {
    if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "version") return false;
    return el.tagName === "TEXTAREA" || el.tagName === "SELECT" || (el.tagName === "INPUT" && TEXTUAL.test(el.type));
  }
  function target(form) {
    return form.getAttribute("action") || window.location.pathname;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.id === "report-form" || form.hasAttribute("hx-post")) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    var fields = {};
    var typed = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !el.value) return;
      fields[el.name] = el.value;
      if (el.tagName !== "SELECT") typed = true;
    });
    try {
      if (typed) window.sessionStorage.setItem(KEY, JSON.stringify({ action: target(form), fields: fields }));
      else window.sessionStorage.removeItem(KEY);
    } catch (e) { /* storage off: nothing to keep */ }
  });
  function restore() {
    var saved;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(KEY) || "null");
      window.sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!saved || !document.querySelector(".messages li.error, [role=alert]")) return;
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      if (target(form) !== saved.action) return;
      Object.keys(saved.fields).forEach(function (name) {
        var el = form.elements[name];
        if (el && kept(el) && (el.tagName === "SELECT" || !el.value)) el.value = saved.fields[name];
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();

// 大屏: a button asks the browser for full screen (it must follow a click).
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-fullscreen]") : null;
  if (target && document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
});
