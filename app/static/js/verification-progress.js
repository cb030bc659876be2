/* Live progress of a verification case (认证进度).
 *
 * The progress page loads this only while the case is being checked. It polls the
 * case's status JSON, updates each department's row, tells screen readers what
 * changed through a polite live region, and reloads once when the case is decided so
 * the page shows the decision. No inline script: the content security policy forbids it.
 * Without JavaScript the page refreshes itself instead (<noscript> in the head).
 */
(function () {
  "use strict";

  const INTERVAL = 1500; // milliseconds between polls
  const MAX_DELAY = 15000; // back off to this when the server does not answer

  const list = document.getElementById("checks");
  if (!list || !list.dataset.statusUrl) {
    return;
  }
  const url = list.dataset.statusUrl;
  const announcer = document.getElementById("checks-announcer");
  let delay = INTERVAL;

  function rowFor(department) {
    return Array.from(list.querySelectorAll("[data-department]")).find(
      (row) => row.dataset.department === department
    );
  }

  /* Update one row; return what to announce, or null when its words did not change. */
  function update(check) {
    const row = rowFor(check.department);
    if (!row) {
      return null;
    }
    const label = row.querySelector('[data-role="label"]');
    const detail = row.querySelector('[data-role="detail"]');
    const changed = label.textContent.trim() !== check.label;
    row.dataset.state = check.state;
    label.textContent = check.label;
    detail.textContent = check.detail || "";
    detail.hidden = !check.detail;
    return changed ? check.name + ": " + check.label : null;
  }

  function schedule() {
    window.setTimeout(poll, delay);
  }

  function show(status) {
    const news = status.checks.map(update).filter(Boolean);
    if (news.length && announcer) {
      announcer.textContent = news.join("; ");
    }
    if (status.decided) {
      window.location.reload();
      return;
    }
    delay = INTERVAL;
    schedule();
  }

  function poll() {
    fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    })
      .then((response) => {
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || !type.includes("application/json")) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(show)
      .catch(() => {
        delay = Math.min(delay * 2, MAX_DELAY);
        schedule();
      });
  }

  schedule();
})();
