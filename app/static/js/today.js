// Today (每日速配): like or pass without leaving the page. Progressive enhancement:
// without this script the forms post and the page reloads with the same result.
(function () {
  "use strict";
  var list = document.querySelector(".today-list");
  if (!list || !window.fetch) { return; }

  function say(item, text, link, linkText, isError) {
    var old = item.querySelector(".today-result");
    if (old) { old.remove(); }
    var box = document.createElement("p");
    box.className = "today-result flash " + (isError ? "flash-error" : "flash-success");
    box.setAttribute("role", isError ? "alert" : "status");
    box.textContent = text + " ";
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = linkText;
      box.appendChild(a);
    }
    item.appendChild(box);
    return box;
  }

  list.addEventListener("submit", function (event) {
    var form = event.target.closest(".today-form");
    if (!form) { return; }
    event.preventDefault();
    var item = form.closest(".today-item");
    var buttons = item.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        buttons.forEach(function (b) { b.disabled = false; });
        say(item, result.data.error || "", null, null, true);
        return;
      }
      var actions = item.querySelector(".today-actions");
      if (actions) { actions.remove(); }
      item.classList.add("today-answered");
      var box = say(item, result.data.message, result.data.link, list.dataset.chatText, false);
      box.tabIndex = -1;
      box.focus();
      if (!list.querySelector(".today-actions")) {
        var done = document.createElement("p");
        done.className = "today-reload";
        var again = document.createElement("a");
        again.href = window.location.pathname;
        again.textContent = list.dataset.doneText;
        done.appendChild(again);
        list.after(done);
      }
    }).catch(function () {
      form.submit();  // the network or the reply failed: fall back to the plain post
    });
  });
})();
