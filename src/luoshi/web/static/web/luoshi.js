// Page behaviour without inline handlers (the Content-Security-Policy allows no inline script).
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.classList && field.classList.contains("autosubmit") && field.form) field.form.submit();
});
