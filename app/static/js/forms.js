/* Form behaviour, on top of native controls that work without it.
 *
 * - Busy submit: a form with data-busy-label marks its pressed submit button busy
 *   (aria-busy="true", disabled, the label changed to data-busy-label) and ignores a
 *   second submit, so an application cannot be sent twice by a double press. The
 *   server refuses duplicates anyway.
 * - Paired sliders (.range-pair): keep lowest <= highest, show the values in their
 *   <output>s (the "any" word at an end that means no limit) and tint the track
 *   between the two thumbs.
 * - Stars (.stars): show the chosen rating in words beside the stars.
 * - The values questionnaire ([data-values-steps]): one group a screen, with back and
 *   next; a group holding an error opens first.
 *
 * Loaded on every page (base.html, defer). No inline script: the CSP forbids it.
 */
(function () {
  "use strict";

  if (window.queqiaoForms) {
    return; // loaded twice: bind once
  }
  window.queqiaoForms = true;

  /* -- busy submit buttons ------------------------------------------------------ */

  function submitterOf(form, event) {
    if (event.submitter && event.submitter.form === form) {
      return event.submitter;
    }
    return form.querySelector('button[type="submit"], button:not([type]), input[type="submit"]');
  }

  function markBusy(button, label) {
    if (!button) {
      return;
    }
    button.setAttribute("aria-busy", "true");
    button.setAttribute("aria-disabled", "true");
    if (button.tagName === "INPUT") {
      button.dataset.idleLabel = button.value;
      button.value = label;
    } else {
      const text = button.querySelector(".btn__label") || button;
      button.dataset.idleLabel = text.textContent;
      text.textContent = label;
    }
    // Disabled once the browser has built what the form sends (a disabled submitter
    // would leave its own name and value out).
    window.setTimeout(function () {
      button.disabled = true;
    }, 0);
  }

  function clearBusy(form) {
    delete form.dataset.busy;
    form.querySelectorAll('[aria-busy="true"]').forEach(function (button) {
      button.removeAttribute("aria-busy");
      button.removeAttribute("aria-disabled");
      button.disabled = false;
      if (button.dataset.idleLabel !== undefined) {
        if (button.tagName === "INPUT") {
          button.value = button.dataset.idleLabel;
        } else {
          (button.querySelector(".btn__label") || button).textContent = button.dataset.idleLabel;
        }
        delete button.dataset.idleLabel;
      }
    });
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy-label")) {
      return;
    }
    if (form.dataset.busy === "true") {
      event.preventDefault(); // already on its way
      return;
    }
    if (event.defaultPrevented) {
      return;
    }
    form.dataset.busy = "true";
    markBusy(submitterOf(form, event), form.dataset.busyLabel);
  });

  // Back from the next page (the page restored from the back/forward cache): usable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-busy]").forEach(clearBusy);
    }
  });

  /* -- paired sliders ----------------------------------------------------------- */

  function setupRangePair(pair) {
    const low = pair.querySelector('input[data-role="low"]');
    const high = pair.querySelector('input[data-role="high"]');
    const lowOut = pair.querySelector('[data-role="low-output"]');
    const highOut = pair.querySelector('[data-role="high-output"]');
    const unit = pair.querySelector('[data-role="unit"]');
    if (!low || !high) {
      return;
    }
    const min = Number(low.min);
    const max = Number(low.max);

    function words(input, value) {
      if (input === low && pair.dataset.anyLow && value === min) {
        return pair.dataset.anyLow;
      }
      if (input === high && pair.dataset.anyHigh && value === max) {
        return pair.dataset.anyHigh;
      }
      return String(value);
    }

    function render() {
      const lo = Number(low.value);
      const hi = Number(high.value);
      if (lowOut) {
        lowOut.textContent = words(low, lo);
      }
      if (highOut) {
        highOut.textContent = words(high, hi);
      }
      if (unit) {
        unit.hidden = Boolean(pair.dataset.anyLow && pair.dataset.anyHigh && lo === min && hi === max);
      }
      low.setAttribute("aria-valuetext", words(low, lo));
      high.setAttribute("aria-valuetext", words(high, hi));
      const span = max - min || 1;
      pair.style.setProperty("--range-low", ((lo - min) / span) * 100 + "%");
      pair.style.setProperty("--range-high", ((hi - min) / span) * 100 + "%");
      // The thumb nearer the other end lies on top, so both can always be reached.
      low.classList.toggle("is-on-top", lo > min + span / 2);
    }

    low.addEventListener("input", function () {
      if (Number(low.value) > Number(high.value)) {
        high.value = low.value;
      }
      render();
    });
    high.addEventListener("input", function () {
      if (Number(high.value) < Number(low.value)) {
        low.value = high.value;
      }
      render();
    });
    pair.classList.add("is-enhanced");
    render();
  }

  /* -- stars -------------------------------------------------------------------- */

  function setupStars(group) {
    const text = group.querySelector(".stars__text");
    if (!text) {
      return;
    }
    function render() {
      const checked = group.querySelector("input:checked");
      text.textContent = checked
        ? checked.parentElement.querySelector(".visually-hidden").textContent
        : text.dataset.empty || "";
    }
    group.addEventListener("change", render);
    render();
  }

  /* -- the values questionnaire, one group a screen ----------------------------- */

  function setupSteps(root) {
    const steps = Array.from(root.querySelectorAll("[data-step]"));
    if (steps.length < 2) {
      return;
    }
    const form = root.closest("form");
    const progress = root.querySelector('[data-role="progress"]');
    const submit =
      form &&
      (form.querySelector('[data-role="submit"] button') ||
        Array.from(form.querySelectorAll('button[type="submit"]')).pop());
    let current = 0;

    function show(index, focus) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      steps.forEach(function (step, i) {
        step.hidden = i !== current;
      });
      if (progress) {
        progress.hidden = false;
        const dots = steps
          .map(function (step, i) {
            return i === current ? "●" : "○";
          })
          .join(" ");
        progress.textContent = dots;
        progress.setAttribute("aria-hidden", "true");
      }
      if (submit) {
        const last = current === steps.length - 1;
        submit.classList.toggle("btn--primary", last);
        submit.classList.toggle("btn--secondary", !last);
      }
      if (focus) {
        const title = steps[current].querySelector(".values-group__title");
        if (title) {
          title.setAttribute("tabindex", "-1");
          title.focus({ preventScroll: true });
          steps[current].scrollIntoView({ block: "start" });
        }
      }
    }

    steps.forEach(function (step, i) {
      const nav = step.querySelector('[data-role="nav"]');
      if (nav) {
        nav.hidden = false;
      }
      const next = step.querySelector("[data-step-next]");
      const back = step.querySelector("[data-step-back]");
      if (next) {
        next.addEventListener("click", function () {
          show(i + 1, true);
        });
      }
      if (back) {
        back.addEventListener("click", function () {
          show(i - 1, true);
        });
      }
    });
    root.classList.add("is-stepped");

    // A group with an error (the form came back) opens first; the error summary's
    // links open the group they point into.
    const invalid = steps.findIndex(function (step) {
      return step.querySelector(".field-error, [aria-invalid='true']");
    });
    show(invalid >= 0 ? invalid : 0, false);
    document.addEventListener("click", function (event) {
      const link = event.target.closest && event.target.closest('a[href^="#"]');
      if (!link) {
        return;
      }
      const target = document.getElementById(link.getAttribute("href").slice(1));
      const index = target ? steps.findIndex((step) => step.contains(target)) : -1;
      if (index >= 0) {
        show(index, false);
      }
    });
  }

  /* -- chips with a most (interests: at most 8) ---------------------------------- */

  function setupChipCount(group) {
    const max = Number(group.dataset.max);
    const field = group.closest("fieldset");
    const count = field && field.querySelector('[data-role="chip-count"]');
    if (!max || !count) {
      return;
    }
    function render() {
      const chosen = group.querySelectorAll("input:checked").length;
      count.hidden = false;
      count.textContent = count.dataset.template
        .replace("{chosen}", String(chosen))
        .replace("{max}", String(max));
      count.classList.toggle("is-over", chosen > max);
    }
    group.addEventListener("change", render);
    render();
  }

  function init() {
    document.querySelectorAll(".chip-group[data-max]").forEach(setupChipCount);
    document.querySelectorAll(".range-pair").forEach(setupRangePair);
    document.querySelectorAll(".stars").forEach(setupStars);
    document.querySelectorAll("[data-values-steps]").forEach(setupSteps);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
