"""Demo data for the love school (爱情学堂): two published courses and a draft.

- 王老师's "第一次约会" (four lessons, one a lecture) and 李老师's "如何识别婚恋诈骗"
  (four lessons mirroring the love lounge's fraud warnings: money, investments, moving
  to another app, links and QR codes), both published;
- 李老师's draft "写好你的个人简介", which members do not see;
- 思远 has finished two lessons of the first course and one of the second;
- the lecture lesson links to the events demo's next lecture, when there is one.

Idempotent: a course is added only when its author has none with that title.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.db_types import utcnow
from app.demo import DEMO_MEMBER
from app.events.queries import next_lecture_id
from app.extensions import db
from app.school import operations, reading
from app.school.models import Course, Lesson, LessonKind

WANG, LI = "+8613800000002", "+8613800000003"
R, L = LessonKind.reading, LessonKind.lecture

FIRST_DATE = (
    "第一次约会",
    "从选地点到说再见：让第一次见面轻松、安全又愉快的几条建议。",
    [
        (
            "约在哪里、什么时候",
            R,
            """\
第一次见面，**公共场所、白天、交通方便**是最稳妥的选择。

- 咖啡馆、书店、公园、博物馆都很合适，人多、不吵，方便聊天；
- 时间控制在一到两个小时，意犹未尽比尴尬冷场好；
- 自己去、自己回，不必让对方接送，也不必第一次就去对方家附近。

> 出发前告诉一位朋友你去哪里、和谁见面、大概几点结束。
""",
        ),
        (
            "聊什么，不聊什么",
            R,
            """\
好的开场来自对方资料里的小细节：“看到你也喜欢徒步，最近去哪里走过？”

## 可以多聊
- 兴趣爱好、最近读的书、看的电影；
- 工作里有意思的事，而不是收入；
- 对周末、对旅行、对家乡的感受。

## 先别急着聊
- 收入、房子、存款——这些等彼此熟悉了再谈；
- 前任的细节；
- 催问“你到底想不想结婚”。

倾听比表现更重要：**多问一句“后来呢？”**，对方会感到被认真对待。
""",
        ),
        (
            "约会之后",
            R,
            """\
回到家，发一条简单的消息就好：“今天聊得很开心，谢谢你的时间。”

如果想再见面，可以直接提出下一次的具体安排；如果觉得不合适，也请**礼貌、明确地告诉对方**，
不要一直不回消息。真诚的拒绝，也是一种尊重。
""",
        ),
        (
            "线下讲座：约会中的沟通",
            L,
            """\
这是一节线下讲座课。我们会请有经验的红娘分享真实案例，并现场练习如何开启话题、如何表达好感。

讲座在活动页面报名，名额有限，先到先得。
""",
        ),
    ],
)

FRAUD = (
    "如何识别婚恋诈骗",
    "“杀猪盘”是怎样一步步骗取信任的？学会识别四种危险信号，保护好自己和家人。",
    [
        (
            "危险信号一：开口谈钱",
            R,
            """\
无论对方说得多么可怜、多么着急——家人生病、生意周转、被扣押在海关——
**只要还没见过面就向你借钱、要红包、让你转账，几乎可以确定是骗局。**

- 鹊桥永远不会让你给任何人转账；
- 不要为了“证明真心”而付钱；
- 遇到可疑情况，在会客厅里点“举报”，管理员会尽快处理。
""",
        ),
        (
            "危险信号二：稳赚不赔的投资",
            R,
            """\
“杀猪盘”的典型剧本：先花几周时间嘘寒问暖，建立感情；再不经意地提起自己在做投资，
“有内部消息”“带你一起赚”。一开始让你小赚几笔，等你投入大额资金后，平台就再也取不出钱了。

| 对方的说法 | 真实情况 |
|---|---|
| 我有内部渠道 | 正规投资没有“内部稳赚” |
| 先投一点试试 | 小额盈利是诱饵 |
| 提现要先交税费 | 这是继续骗钱的借口 |

**不要听从网上认识的人的投资建议。**
""",
        ),
        (
            "危险信号三：急着换个地方聊",
            R,
            """\
刚认识就说“这里聊天不方便，加我微信吧”“下载这个App聊”，要提高警惕。

骗子希望把你带到平台看不到的地方：那里没有诈骗提醒，也没有举报和实名认证的保护。
在鹊桥会客厅里聊天，你的每一位聊天对象都经过多部门实名认证。
""",
        ),
        (
            "危险信号四：陌生链接和二维码",
            R,
            """\
不要打开没见过面的人发来的链接，也不要扫描对方发来的二维码——它们可能是仿冒的投资平台、
钓鱼网站，或者诱导你下载的恶意软件。

如果已经转账或泄露了银行卡信息：

1. 立即联系银行冻结账户；
2. 拨打 **110** 或反诈专线 **96110** 报警；
3. 保留聊天记录和转账凭证，并在鹊桥举报对方。
""",
        ),
    ],
)

DRAFT = (
    "写好你的个人简介",
    "一段真诚的自我介绍，胜过十张精修照片。（草稿）",
    [
        (
            "从一个小故事开始",
            R,
            """\
与其写“性格开朗、热爱生活”，不如写一件具体的小事：
“周末喜欢早起去菜市场，研究一道新菜，失败了也照样吃完。”
""",
        ),
    ],
)

SIYUAN_DONE = {"第一次约会": 2, "如何识别婚恋诈骗": 1}


def _user_id(phone: str) -> int | None:
    return db.session.scalar(select(User.id).where(User.phone == phone))


def _add_course(author_id: int, spec: tuple, publish: bool) -> Course | None:
    """The course with its lessons, unless its author already has one of that title."""
    title, summary, lessons = spec
    exists = db.session.scalar(
        select(Course.id).where(Course.author_id == author_id, Course.title == title)
    )
    if exists is not None:
        return None
    course = operations.create_course(author_id, title, summary)
    for lesson_title, kind, body in lessons:
        operations.add_lesson(course, lesson_title, kind, body)
    if publish:
        operations.publish(course, author_id, utcnow() - timedelta(days=7))
    return course


def _link_lecture(author_id: int) -> None:
    """Link 第一次约会's lecture to the next published lecture event, when there is one
    (seeding again links it once the events demo exists)."""
    lesson = db.session.scalar(
        select(Lesson)
        .join(Course)
        .where(
            Course.author_id == author_id,
            Course.title == FIRST_DATE[0],
            Lesson.kind == LessonKind.lecture,
            Lesson.event_id.is_(None),
        )
    )
    if lesson is None:
        return
    event_id = next_lecture_id(utcnow())
    if event_id is not None:
        lesson.event_id = event_id


def add_school_demo() -> int:
    """Add the demo courses that are missing and 思远's progress on the new ones;
    returns how many courses were added. Commits."""
    wang, li, member = _user_id(WANG), _user_id(LI), _user_id(DEMO_MEMBER)
    if wang is None or li is None:
        return 0
    added = [
        _add_course(wang, FIRST_DATE, publish=True),
        _add_course(li, FRAUD, publish=True),
        _add_course(li, DRAFT, publish=False),
    ]
    new = [course for course in added if course is not None]
    _link_lecture(wang)
    if member is not None:
        for course in new:
            for lesson in course.lessons[: SIYUAN_DONE.get(course.title, 0)]:
                reading.mark_done(member, lesson, utcnow() - timedelta(days=2))
    db.session.commit()
    return len(new)
