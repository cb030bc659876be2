// Love lounge: new messages appear without reloading. Polls messages.json after the
// last message shown, quickly while the talk is lively, backing off when idle.
// Reading is a POST: once the partner's messages are on screen (the page visible), a
// read beacon tells the server the last message id shown, with the page's CSRF token.
(function () {
  "use strict";
  var list = document.getElementById("messages");
  if (!list || !window.fetch) return;
  var after = parseInt(list.dataset.after, 10) || 0;
  var unreadUpTo = list.dataset.unread === "yes" ? after : 0;  // shown, not yet told

  function markRead() {
    if (!unreadUpTo || !list.dataset.read || document.visibilityState === "hidden") return;
    var upto = unreadUpTo;
    unreadUpTo = 0;
    var body = new FormData();
    body.append("csrf_token", list.dataset.csrf || "");
    body.append("upto", String(upto));
    fetch(list.dataset.read, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) { if (!r.ok && !unreadUpTo) unreadUpTo = upto; })
      .catch(function () { if (!unreadUpTo) unreadUpTo = upto; });
  }
  document.addEventListener("visibilitychange", markRead);
  markRead();
  if (list.dataset.live !== "yes") return;
  var delay = 3000, slowest = 60000;
  var zone = list.dataset.timezone || "Asia/Shanghai";

  // "YYYY-MM-DD HH:MM" in the service's time zone, as the page renders the others.
  function shown(iso) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
      day: "2-digit", hour: "2-digit", minute: "2-digit"
    }).formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute;
  }

  function add(m) {
    var item = document.createElement("li");
    item.className = "lounge-message " + (m.mine ? "mine" : "theirs");
    item.dataset.id = m.id;
    var body = document.createElement("p");
    body.className = "lounge-body";
    body.textContent = m.body;
    item.appendChild(body);
    if (m.created_at) {
      var meta = document.createElement("p");
      meta.className = "lounge-meta";
      var time = document.createElement("time");
      time.dateTime = m.created_at;
      time.textContent = m.shown || shown(m.created_at);
      meta.appendChild(time);
      item.appendChild(meta);
    }
    if (m.warnings.length) {
      var box = document.createElement("div");
      box.className = "lounge-warning";
      box.setAttribute("role", "note");
      box.textContent = list.dataset.warning || "";
      item.appendChild(box);
    }
    list.appendChild(item);
  }

  function poll() {
    fetch(list.dataset.poll + "?after=" + after, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { delay = slowest; return; }
        if (data.messages.length) {
          data.messages.forEach(add);
          after = data.messages[data.messages.length - 1].id;
          if (data.messages.some(function (m) { return !m.mine; })) unreadUpTo = after;
          markRead();
          delay = 3000;
        } else {
          delay = Math.min(delay * 2, slowest);
        }
        if (!data.open) delay = 0;
      })
      .catch(function () { delay = slowest; })
      .then(function () { if (delay) window.setTimeout(poll, delay); });
  }
  window.setTimeout(poll, delay);
})();
