"""The profile's vocabularies: the cities, the interests (tags) and the values questionnaire.

Their one home: the profile and event forms, the matcher's inputs and the synthetic
population (``benchmarks.synthetic``) all use these. Order matters: the synthetic
generator indexes cities and tags by position, so appending keeps a seed's population.
"""

from __future__ import annotations

# The 11 prefecture-level cities of Zhejiang.
CITIES: tuple[str, ...] = (
    "杭州",
    "宁波",
    "温州",
    "金华",
    "台州",
    "嘉兴",
    "绍兴",
    "湖州",
    "丽水",
    "衢州",
    "舟山",
)

# Interests a member picks from (at most ``app.profiles.vocabulary.MAX_TAGS``).
TAGS: tuple[str, ...] = (
    "旅行",
    "摄影",
    "徒步",
    "羽毛球",
    "飞盘",
    "剧本杀",
    "烘焙",
    "读书",
    "电影",
    "音乐",
    "猫",
    "狗",
    "健身",
    "美食",
    "游泳",
    "骑行",
    "露营",
    "书法",
    "围棋",
    "编程",
    "追剧",
    "咖啡",
    "茶",
    "瑜伽",
    "跑步",
    "篮球",
    "足球",
    "滑雪",
    "桌游",
    "手工",
    "钓鱼",
    "唱歌",
    "画画",
    "舞蹈",
    "动漫",
    "游戏",
    "乒乓球",
    "网球",
    "做饭",
    "汉服",
)

# The values questionnaire, key and Chinese wording: answers 1 (not at all) .. 5 (very
# much), each with an importance 0..3. The English wording is ``app.profiles.forms``.
QUESTIONS: dict[str, str] = {
    "kids": "将来想要孩子吗？",
    "city_move": "愿意为另一半换城市吗？",
    "saving": "你是一个注重存钱的人吗？",
    "family_time": "你看重和家人相处的时间吗？",
    "pets": "你愿意家里养宠物吗？",
    "smoking": "你能接受另一半吸烟吗？",
    "religion_importance": "宗教信仰在你的生活中重要吗？",
    "career_first": "现阶段你会把事业放在感情之前吗？",
}
