"""The members' main pages on a 360 x 740 phone: every visible control is a 44 x 44 px
target, and at 200 % text nothing scrolls sideways and no button label wraps to more
than two lines. Each page is scanned by axe and saved as a full-page screenshot (the
conftest's SCREENSHOTS folder, which the run keeps and git ignores).

The one exemption, WCAG 2.2 success criterion 2.5.8 (Target Size, Minimum) "Inline":
a link inside a sentence or a block of text (its block holds more text than the link)
may be as small as the line it sits in; everything else, links standing alone
included, must measure at least 44 x 44 CSS px (2.5.5, Target Size, Enhanced).
"""

from __future__ import annotations

from playwright.sync_api import Page

from app.extensions import db
from app.lounge.models import Message
from app.relations.models import Match
from tests.browser.conftest import check_accessibility
from tests.browser.journeys import phone_of, sign_in
from tests.events_helpers import add_event
from tests.factories import make_member, make_user

MIN_TARGET = 44

# The visible controls smaller than 44 x 44 px, inline links exempted (see above).
SMALL_TARGETS = """
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;  // visually hidden
    if (box.bottom + window.scrollY < 0 || box.right + window.scrollX < 0) return false;
    return !el.closest('details:not([open]) > :not(summary)');
  };
  const inline = (el) => {
    if (el.tagName !== 'A') return false;
    const block = el.parentElement.closest('p, li, dd, td, th, blockquote, figcaption');
    if (!block) return false;
    return block.textContent.trim().length > el.textContent.trim().length;
  };
  const target = (el) => {
    // A checkbox or radio button is pressed through its label: the label is the target.
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const byId = el.id && document.querySelector(`label[for="${el.id}"]`);
      return el.closest('label') || byId || el;
    }
    return el;
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el) || inline(el)) continue;
    const box = target(el).getBoundingClientRect();
    if (box.width < 44 - 0.5 || box.height < 44 - 0.5) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 40);
      small.push(`${el.tagName.toLowerCase()}.${el.className || ''} "${name}" `
        + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""

# At 200 % text: the page's overflow and the buttons whose label runs over two lines.
LARGE_TEXT = """
() => {
  document.documentElement.style.fontSize = '200%';
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set();
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top));
    }
    // Text nodes and inline boxes of one line share a top (within a pixel or two).
    const sorted = [...tops].sort((a, b) => a - b);
    return sorted.filter((top, i) => i === 0 || top - sorted[i - 1] > 4).length;
  };
  const wrapped = [];
  for (const el of document.querySelectorAll('button, .btn, .button, [role=button]')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || getComputedStyle(el).visibility === 'hidden') continue;
    const count = lines(el);
    if (count > 2) wrapped.push(`${el.textContent.trim().replace(/\\s+/g, ' ')} (${count} lines)`);
  }
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  document.documentElement.style.fontSize = '';
  return {overflow, wrapped};
}
"""


def check_frame(page: Page, url: str, name: str) -> list[str]:
    """Scan one page; the problems found (axe and sideways scrolling fail at once)."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    check_accessibility(page, name)
    small = page.evaluate(SMALL_TARGETS)
    problems = [f"{name}: {target} (under {MIN_TARGET} px)" for target in small]
    large = page.evaluate(LARGE_TEXT)
    if large["overflow"] > 0:
        problems.append(f"{name}: at 200 % text the page is {large['overflow']}px too wide")
    problems += [f"{name}: at 200 % text the button {w}" for w in large["wrapped"]]
    return problems


def test_member_pages_have_large_targets_and_survive_large_text(
    page: Page, live_server: str, built_apps
):
    app = built_apps[0]
    member = make_member(app)
    other = make_member(app, seed=11)
    organiser = make_user(app, "matchmaker")
    event_id = add_event(app, organiser.id, capacity=20)
    with app.app_context():
        match = Match(user_a_id=member.id, user_b_id=other.id)
        db.session.add(match)
        db.session.flush()
        hello = "你好，周末一起去爬山吗？"
        db.session.add(Message(match_id=match.id, sender_id=other.id, body=hello))
        db.session.add(Message(match_id=match.id, sender_id=member.id, body="好呀！"))
        db.session.commit()
        match_id = match.id
    sign_in(page, live_server, phone_of(app, member.id))
    pages = [
        ("/", "frame-01-home"),
        ("/today/", "frame-02-today"),
        ("/lounge/", "frame-03-lounge"),
        (f"/lounge/{match_id}", "frame-04-conversation"),
        ("/events/", "frame-05-events"),
        (f"/events/{event_id}", "frame-06-event"),
        ("/profile/", "frame-07-profile"),
        ("/profile/values", "frame-08-values"),
        ("/profile/preferences", "frame-09-preferences"),
        ("/me", "frame-10-me"),
    ]
    problems = []
    for path, name in pages:
        problems += check_frame(page, live_server + path, name)
    # The same in Chinese, whose labels are the ones that could break into short lines.
    page.context.add_cookies([{"name": "lang", "value": "zh_CN", "url": live_server}])
    for path, name in pages:
        problems += check_frame(page, live_server + path, name + "-zh")
    assert problems == [], "\n".join(problems)
