// The report form never loses what was typed:
// - every keystroke is kept in this browser (localStorage) until the server has the same text;
// - the draft is saved to the server a few seconds after typing stops and when the page is left;
// - after a session timeout the user is told, and once logged in again the text comes back;
// - long fields show how many characters are left instead of cutting pasted text.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var savedNode = document.getElementById("report-saved");
  if (!form || !savedNode) return;
  var saved = JSON.parse(savedNode.textContent);
  var key = "luoshi-report-" + saved.id;
  var names = ["progress_status", "percent", "work_done", "problems", "next_steps"];
  var status = document.getElementById("autosave");
  var version = form.querySelector("input[name=version]");
  var timer = null;
  var inflight = null;
  var submitting = false;
  // A refused save (stale copy, expired session) stops autosave until the page is reloaded.
  var halted = form.hasAttribute("data-halted");

  function values() {
    var found = {};
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field) found[name] = String(field.value);
    });
    return found;
  }

  function same(a, b) {
    return names.every(function (name) {
      return String(a[name] == null ? "" : a[name]) === String(b[name] == null ? "" : b[name]);
    });
  }

  function say(text, alarm) {
    status.textContent = text;
    status.setAttribute("role", alarm ? "alert" : "status");
    status.className = alarm ? "bad" : "muted";
  }

  function keep() {
    try {
      localStorage.setItem(
        key,
        JSON.stringify({ version: Number(version.value), fields: values(), at: Date.now() })
      );
    } catch (e) {
      /* private mode or full storage: the server save still runs */
    }
  }

  function forget() {
    try {
      localStorage.removeItem(key);
    } catch (e) {}
  }

  function put(fields) {
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field && fields[name] != null) field.value = fields[name];
    });
    form.querySelectorAll("textarea[data-limit]").forEach(count);
  }

  function restore() {
    var raw = null;
    try {
      raw = localStorage.getItem(key);
    } catch (e) {}
    if (!raw) return;
    var local = JSON.parse(raw);
    if (same(local.fields, saved.fields)) return forget(); // the server has it already
    if (same(local.fields, values())) return; // the page shows it (a refused save re-rendered it)
    var note = document.createElement("p");
    note.className = "messages";
    note.setAttribute("role", "status");
    note.id = "restored";
    if (local.version === saved.version) {
      put(local.fields);
      note.textContent = form.dataset.restored;
      form.prepend(note);
      schedule();
    } else {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = form.dataset.restoreButton;
      button.addEventListener("click", function () {
        put(local.fields);
        note.remove();
        schedule();
      });
      note.textContent = form.dataset.olderCopy + " ";
      note.appendChild(button);
      form.prepend(note);
    }
  }

  function expired() {
    halted = true;
    var login = "/accounts/login/?next=" + encodeURIComponent(location.pathname);
    status.textContent = "";
    var link = document.createElement("a");
    link.href = login;
    link.textContent = form.dataset.loginAgain;
    status.appendChild(document.createTextNode(form.dataset.expired + " "));
    status.appendChild(link);
    status.setAttribute("role", "alert");
    status.className = "bad";
  }

  function save(leaving) {
    timer = null;
    if (halted || submitting) return Promise.resolve();
    var sent = values();
    if (same(sent, saved.fields)) return Promise.resolve();
    var body = new FormData(form);
    body.delete("file");
    body.set("save", "1");
    inflight = fetch(location.pathname, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "X-Autosave": "1", "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.redirected && response.url.indexOf("/accounts/login/") >= 0) return expired();
        if (response.status === 403) return expired();
        return response.json().then(function (answer) {
          if (response.ok) {
            version.value = answer.version;
            saved.version = answer.version;
            saved.fields = sent;
            if (same(values(), sent)) forget();
            else keep();
            say(form.dataset.savedAt + " " + answer.saved_at, false);
          } else {
            if (response.status === 409) halted = true;
            say(answer.detail, true);
          }
        });
      })
      .catch(function () {
        say(form.dataset.offline, true);
      })
      .finally(function () {
        inflight = null;
      });
    return inflight;
  }

  function schedule() {
    keep();
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 2500);
  }

  function count(area) {
    var counter = form.querySelector('.counter[data-for="' + area.id + '"]');
    if (!counter) return;
    var limit = Number(area.getAttribute("data-limit"));
    var n = area.value.length;
    counter.textContent = n + " / " + limit;
    counter.className = "counter " + (n > limit ? "bad" : "muted");
  }

  form.addEventListener("input", function (event) {
    if (event.target.name === "file") return;
    if (event.target.hasAttribute("data-limit")) count(event.target);
    schedule();
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "file") schedule();
  });
  form.addEventListener("submit", function (event) {
    keep(); // if the session has ended, the text is still here after logging in again
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (inflight) {
      // Let the running save finish (it changes the version), then post the form.
      event.preventDefault();
      var submitter = event.submitter;
      inflight.then(function () {
        form.requestSubmit(submitter);
      });
      return;
    }
    submitting = true;
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) save(true);
  });
  window.addEventListener("pagehide", function () {
    if (timer) save(true);
  });

  form.querySelectorAll("textarea[data-limit]").forEach(count);
  restore();
})();
