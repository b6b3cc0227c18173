#!/usr/bin/python3
"""Generates the bilingual in-car voice-command corpus of the NLP demo (intent + BIO slots).

    /usr/bin/python3 scripts/train/commands_corpus.py [--seed 7] [--out resources/demo]
                                                      [--train-tsv FILE]

Every sentence comes from the templates and slot value lists below, written for this project:
16 intents, 9 slot types, Simplified Chinese and English (and Chinese sentences with English
names in them, as people say them), with politeness words, wake words, varied word order,
and numbers written as digits, as hanzi and as English words.

Split (never trained on: the validation set):
  - 20 % of the names in the open lists (destinations, points of interest, contacts,
    artist/song pairs, station names) are held out: every sentence that uses one goes to
    validation, so the validation set measures generalisation to names never seen;
  - of the remaining sentences, 12 % at random (per intent and language) also go to validation.
Sentences are unique across both splits.

Writes to --out:
  commands_vocab.txt       the vocabulary, one token a line (line number = id): [PAD], [UNK],
                           then every token of the training split, by frequency then text
  commands_tokenizer.json  the tokenizer rule, special ids, intent names and BIO tag names
  commands_val.npz         validation: input_ids, attention_mask [N, T] int64 (padded right to
                           the longest sentence, id 0 / mask 0), intent [N] int64,
                           slots [N, T] int64 (-100 at padding)
  commands_val.json        its dataset description (which array feeds which input, which label
                           array goes with which output and its metric)
  commands_val.tsv         the validation sentences as text: language, intent, sentence, tags
With --train-tsv, also the training sentences in the same TSV form (not committed).

train_commands.py imports this module and regenerates the same split from the same seed.
"""

import argparse
import json
import os
import random
import sys
from collections import Counter

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import commands_tokenizer as tok  # noqa: E402

SEED = 7
HOLDOUT_SHARE = 0.2
VAL_SHARE = 0.12
PER_INTENT = 230            # candidate sentences per intent and language (before dedup)
IGNORE_INDEX = -100

INTENTS = ["navigate", "find_poi", "cancel_navigation", "call", "open_window", "close_window",
           "open_sunroof", "close_sunroof", "set_temperature", "fan_speed", "seat_heating",
           "play_media", "set_volume", "volume_up", "volume_down", "tune_radio"]
SLOTS = ["destination", "poi_type", "contact", "position", "temperature", "level", "artist",
         "song", "station"]
TAGS = ["O"] + [p + s for s in SLOTS for p in ("B-", "I-")]

# ---- numbers ------------------------------------------------------------------------------------

HANZI_DIGITS = "零一二三四五六七八九"
EN_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
           "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
           "eighteen", "nineteen"]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def hanzi(n, liang=False):
    """0-100 in hanzi (22 -> 二十二, 10 -> 十, 100 -> 一百); `liang`: 2 as 两."""
    if n == 2 and liang:
        return "两"
    if n < 10:
        return HANZI_DIGITS[n]
    if n == 100:
        return "一百"
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else HANZI_DIGITS[tens]) + "十" + (HANZI_DIGITS[ones] if ones else "")


def english(n, rng):
    """0-100 in English words (22 -> twenty two or twenty-two)."""
    if n < 20:
        return EN_ONES[n]
    if n == 100:
        return "one hundred"
    tens, ones = divmod(n, 10)
    if not ones:
        return EN_TENS[tens]
    return EN_TENS[tens] + rng.choice([" ", "-"]) + EN_ONES[ones]


def number(n, lang, rng, liang=False, digits_share=0.5):
    """An integer as digits, or as hanzi / English words."""
    if rng.random() < digits_share:
        return str(n)
    return hanzi(n, liang) if lang == "zh" else english(n, rng)


def decimal(x, lang, rng, digits_share=0.5):
    """x (a multiple of 0.5) as "22.5", "二十二点五" or "twenty two point five"."""
    whole, half = int(x), x != int(x)
    if rng.random() < digits_share:
        return ("%.1f" % x) if half else str(whole)
    if lang == "zh":
        return hanzi(whole) + ("点五" if half else "")
    return english(whole, rng) + (" point five" if half else "")


def percent(p, lang, rng):
    if lang == "zh":
        return rng.choice(["%d%%" % p, "百分之" + hanzi(p)])
    return rng.choice(["%d%%" % p, "%d percent" % p, english(p, rng) + " percent"])


# ---- slot values ------------------------------------------------------------------------------

# Open lists: a share of each is held out for validation only (names never seen in training).
OPEN_LISTS = {
    ("destination", "zh"): [
        "北京南站", "上海虹桥站", "首都机场", "浦东机场", "虹桥机场T2航站楼", "人民广场", "天安门",
        "西湖", "外滩", "陆家嘴", "中关村", "望京SOHO", "三里屯", "国贸", "世纪公园", "迪士尼乐园",
        "南京路步行街", "王府井", "颐和园", "鸟巢", "广州塔", "深圳湾公园", "春熙路", "宽窄巷子",
        "解放碑", "公司", "学校", "幼儿园", "火车站", "中山路100号", "建国路88号", "长安街",
        "杭州东站", "成都双流机场", "南京南站", "苏州中心", "奥林匹克公园", "798艺术区",
        "朝阳大悦城", "万达广场", "市政府", "第一人民医院", "滨江大道", "体育中心", "科技园",
        "大学城", "环球影城", "故宫博物院"],
    ("destination", "en"): [
        "the airport", "JFK Airport", "Central Station", "Union Square", "Golden Gate Park",
        "the office", "downtown", "Main Street", "5th Avenue", "221 Baker Street",
        "Times Square", "the Museum of Modern Art", "Stanford University", "Pier 39",
        "Fisherman's Wharf", "Lake Tahoe", "San Jose", "Palo Alto", "the Space Needle",
        "Hyde Park", "Heathrow Airport", "King's Cross Station", "the train station",
        "the city hall", "Brooklyn Bridge", "Central Park", "the mall", "the stadium",
        "Oxford Street", "the hospital", "Silicon Valley", "Berkeley", "Santa Monica Pier",
        "100 Market Street", "the school", "the gym", "Grand Central Terminal",
        "the convention center", "Chinatown", "the beach", "Mountain View",
        "42 Wallaby Way", "the harbour", "Highway 1"],
    ("poi_type", "zh"): [
        "加油站", "充电桩", "充电站", "停车场", "餐厅", "咖啡店", "星巴克", "麦当劳", "洗手间",
        "厕所", "服务区", "医院", "药店", "银行", "超市", "4S店", "洗车店", "酒店", "便利店",
        "火锅店", "肯德基", "ATM", "修车店", "停车位"],
    ("poi_type", "en"): [
        "gas station", "petrol station", "charging station", "EV charger", "parking lot",
        "parking garage", "restaurant", "coffee shop", "Starbucks", "McDonald's", "restroom",
        "rest area", "hospital", "pharmacy", "ATM", "supermarket", "car wash", "hotel",
        "pizza place", "bakery", "tire shop", "bank", "parking spot", "diner"],
    ("contact", "zh"): [
        "妈妈", "爸爸", "老婆", "老公", "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊",
        "黄晓明", "周敏", "王经理", "李总", "老王", "小李", "张老师", "奶奶", "爷爷", "儿子",
        "女儿", "公司前台", "孙浩", "马丽", "胡军", "林小雨", "郭靖", "何医生", "高强", "罗敏",
        "宋佳", "舅舅", "姐姐", "哥哥", "Tony", "Lisa"],
    ("contact", "en"): [
        "Mom", "Dad", "John", "Sarah", "Michael Brown", "Emily Johnson", "David Chen", "Li Wei",
        "Wang Fang", "Anna", "Chris", "Grandma", "Uncle Tom", "Dr Patel", "Jessica", "Kevin",
        "the office", "Alex", "Maria Garcia", "James", "Olivia", "Robert Smith", "Aunt May",
        "Tom Wilson", "Sophie", "my wife", "my husband", "Ben", "Lucy", "Daniel Lee",
        "Rachel Green", "Mike"],
    ("media", "zh"): [
        ("周杰伦", "晴天"), ("周杰伦", "稻香"), ("周杰伦", "七里香"), ("周杰伦", "青花瓷"),
        ("陈奕迅", "十年"), ("陈奕迅", "富士山下"), ("王菲", "红豆"), ("王菲", "传奇"),
        ("邓紫棋", "光年之外"), ("邓紫棋", "泡沫"), ("林俊杰", "江南"), ("五月天", "倔强"),
        ("五月天", "突然好想你"), ("刘若英", "后来"), ("孙燕姿", "遇见"), ("薛之谦", "演员"),
        ("毛不易", "消愁"), ("朴树", "平凡之路"), ("周杰伦", "夜曲"), ("李健", "贝加尔湖畔"),
        ("张学友", "吻别"), ("刘德华", "忘情水"), ("蔡依林", "日不落"), ("许嵩", "清明雨上"),
        ("华晨宇", "烟火里的尘埃"), ("Taylor Swift", "Love Story"), ("Coldplay", "Yellow"),
        ("Adele", "Hello"), ("Ed Sheeran", "Shape of You"), ("赵雷", "成都"),
        ("汪峰", "春天里"), ("那英", "征服")],
    ("media", "en"): [
        ("Taylor Swift", "Love Story"), ("Taylor Swift", "Blank Space"), ("Coldplay", "Yellow"),
        ("Coldplay", "Fix You"), ("Coldplay", "Viva La Vida"), ("Adele", "Hello"),
        ("Adele", "Someone Like You"), ("Adele", "Rolling in the Deep"),
        ("Ed Sheeran", "Shape of You"), ("Ed Sheeran", "Perfect"), ("Queen", "Bohemian Rhapsody"),
        ("The Beatles", "Yesterday"), ("The Beatles", "Let It Be"), ("The Beatles", "Hey Jude"),
        ("Billie Eilish", "Bad Guy"), ("Michael Jackson", "Thriller"),
        ("Michael Jackson", "Billie Jean"), ("Eagles", "Hotel California"),
        ("ABBA", "Dancing Queen"), ("Imagine Dragons", "Believer"), ("Bruno Mars", "Uptown Funk"),
        ("Norah Jones", "Don't Know Why"), ("Maroon 5", "Sugar"), ("Lady Gaga", "Shallow"),
        ("Jay Chou", "Sunny Day"), ("Dua Lipa", "Levitating"), ("The Weeknd", "Blinding Lights"),
        ("Oasis", "Wonderwall"), ("Nirvana", "Smells Like Teen Spirit"), ("U2", "One"),
        ("Whitney Houston", "I Will Always Love You")],
    ("station", "zh"): [
        "交通广播", "音乐广播", "中国之声", "经济之声", "都市之声", "新闻广播", "文艺广播",
        "故事广播", "城市之声", "体育广播", "音乐之声", "私家车广播", "怀旧金曲台", "轻松调频"],
    ("station", "en"): [
        "BBC Radio 1", "BBC Radio 2", "NPR", "Jazz FM", "Classic FM", "Kiss FM", "Capital FM",
        "KQED", "Magic 105.4", "Heart FM", "the news station", "the traffic channel",
        "Radio Paradise", "the country station", "Smooth Radio"],
}

POSITIONS = {
    ("window", "zh"): ["主驾", "副驾", "主驾驶", "副驾驶", "左前", "右前", "左后", "右后", "后排",
                       "前排", "全部", "所有", "驾驶位", "副驾驶位"],
    ("window", "en"): ["driver", "passenger", "front left", "front right", "rear left",
                       "rear right", "back left", "back right", "rear", "back", "front",
                       "driver side", "passenger side"],
    ("seat", "zh"): ["主驾", "副驾", "主驾驶", "副驾驶", "驾驶位", "副驾驶位", "左后", "右后",
                     "后排", "前排", "我的", "主座"],
    ("seat", "en"): ["driver", "passenger", "rear left", "rear right", "back", "rear", "front",
                     "driver's", "passenger's", "left", "right"],
    ("climate", "zh"): ["主驾", "副驾", "主驾驶", "副驾驶", "后排", "驾驶位", "副驾驶位",
                        "左边", "右边"],
    ("climate", "en"): ["driver", "passenger", "rear", "back", "driver side", "passenger side",
                        "left", "right"],
}

CN_POLITE = [("", ""), ("", ""), ("", ""), ("请", ""), ("请帮我", ""), ("帮我", ""),
             ("麻烦", ""), ("麻烦你", "，谢谢"), ("能不能帮我", ""), ("可以帮我", "吗"),
             ("", "，谢谢"), ("", "吧"), ("你好小车，", ""), ("小车小车，", ""), ("嗨，", ""),
             ("", "好吗"), ("请你", ""), ("帮忙", "一下"), ("", "，拜托了")]
EN_POLITE = [("", ""), ("", ""), ("", ""), ("please ", ""), ("", " please"), ("could you ", ""),
             ("can you ", ""), ("would you ", " please"), ("hey car, ", ""), ("ok car, ", ""),
             ("", ", thanks"), ("", " for me"), ("", " now"), ("please ", ", thank you"),
             ("hey, ", ""), ("could you please ", "")]
CN_LIGHT = [("", ""), ("", ""), ("", ""), ("你好小车，", ""), ("小车小车，", ""), ("嗨，", ""),
            ("", "，谢谢")]
EN_LIGHT = [("", ""), ("", ""), ("", ""), ("hey car, ", ""), ("ok car, ", ""), ("hey, ", ""),
            ("", ", thanks")]


class Sampler:
    """Draws slot values for one split: the open lists without their held-out share (training)
    or whole (validation); records whether a held-out name was used."""

    def __init__(self, rng, heldout, allow_heldout):
        self.rng, self.heldout, self.allow = rng, heldout, allow_heldout
        self.used_heldout = False

    def pick(self, key):
        pool = OPEN_LISTS[key]
        if not self.allow:
            pool = [v for v in pool if v not in self.heldout[key]]
        v = self.rng.choice(pool)
        if v in self.heldout[key]:
            self.used_heldout = True
        return v

    def value(self, slot, kind, lang):
        r = self.rng
        if slot in ("destination", "poi_type", "contact", "station") and kind != "freq":
            return self.pick((slot, lang))
        if slot == "station":  # kind freq: an FM frequency
            f = r.randrange(875, 1081) / 10
            f = "%.1f" % f
            forms = ["FM %s" % f, "FM%s" % f, f, "调频%s" % f] if lang == "zh" else \
                ["FM %s" % f, "%s FM" % f, f, "%s" % f]
            return r.choice(forms)
        if slot == "position":
            return r.choice(POSITIONS[(kind, lang)])
        if slot == "temperature":
            t = r.randrange(16, 31) + (0.5 if r.random() < 0.2 else 0.0)
            return decimal(min(t, 30.0), lang, r)
        if slot == "level":
            if kind == "fan":
                if r.random() < 0.2:
                    return r.choice(["最大", "最小", "最高", "最低"] if lang == "zh" else
                                    ["max", "maximum", "minimum", "high", "low", "medium"])
                return number(r.randrange(1, 8), lang, r, liang=True)
            if kind == "seat":
                if r.random() < 0.3:
                    return r.choice(["高", "中", "低", "最高"] if lang == "zh" else
                                    ["high", "medium", "low", "max"])
                return number(r.randrange(1, 4), lang, r, liang=True)
            if kind == "volume":
                if r.random() < 0.35:
                    return percent(r.randrange(1, 11) * 10, lang, r)
                return number(r.randrange(0, 11), lang, r)
            if kind == "open":  # how far a window or the sunroof opens
                if r.random() < 0.4:
                    return r.choice(["一半", "一点", "一条缝", "三分之一"] if lang == "zh" else
                                    ["halfway", "a bit", "a crack", "a third", "all the way"])
                return percent(r.randrange(1, 10) * 10, lang, r)
        raise ValueError("no values for %s:%s" % (slot, kind))


# ---- templates --------------------------------------------------------------------------------
# {slot} or {slot:kind} is filled from the lists above; {artist}/{song} come as a pair.
# A leading "!" marks a sentence that is not a plain imperative (a statement, a question, a noun
# phrase, "I want ..."): it takes only wake words and thanks, not "please"/"could you"/"请帮我".

TEMPLATES = {
    "navigate": {
        "zh": ["导航到{destination}", "导航去{destination}", "去{destination}", "!我要去{destination}",
               "带我去{destination}", "开车去{destination}", "!{destination}怎么走",
               "规划去{destination}的路线", "!去{destination}的路怎么走", "!目的地{destination}",
               "把目的地设为{destination}", "!我想去{destination}", "导航{destination}",
               "回{destination}", "!现在去{destination}", "到{destination}去",
               "查一下去{destination}的路线", "!我们去{destination}吧",
               "导航回家", "!回家", "!我要回家"],
        "en": ["navigate to {destination}", "take me to {destination}", "drive to {destination}",
               "get directions to {destination}", "!how do I get to {destination}",
               "!let's go to {destination}", "!I want to go to {destination}",
               "set the destination to {destination}", "!route to {destination}",
               "find a route to {destination}", "head to {destination}",
               "start navigation to {destination}", "!I need to get to {destination}",
               "go to {destination}", "!directions to {destination}",
               "!what's the fastest way to {destination}", "take me home", "navigate home",
               "!let's go home"],
    },
    "find_poi": {
        "zh": ["!附近有没有{poi_type}", "找一下最近的{poi_type}", "搜索附近的{poi_type}",
               "帮我找{poi_type}", "!最近的{poi_type}在哪里", "!哪里有{poi_type}",
               "查找周边{poi_type}", "导航到最近的{poi_type}", "!我要找个{poi_type}",
               "找个{poi_type}", "!附近的{poi_type}", "搜一下{poi_type}",
               "!这附近哪有{poi_type}", "!车快没电了，找个{poi_type}", "!快没油了，找{poi_type}"],
        "en": ["find the nearest {poi_type}", "!is there a {poi_type} nearby",
               "!where's the closest {poi_type}", "search for a {poi_type}",
               "show me {poi_type} options nearby", "find a {poi_type} near me",
               "!I need a {poi_type}", "look for a {poi_type}",
               "!any {poi_type} around here", "take me to the nearest {poi_type}",
               "!we're low on fuel, find a {poi_type}", "locate a {poi_type}",
               "!where can I find a {poi_type}"],
    },
    "cancel_navigation": {
        "zh": ["取消导航", "结束导航", "退出导航", "停止导航", "!不去了", "关闭导航",
               "!导航取消", "不用导航了", "!不用导航了", "取消路线", "结束行程", "把导航关了",
               "停止路线引导", "!导航先停一下"],
        "en": ["cancel navigation", "stop navigating", "end the route", "cancel the route",
               "exit navigation", "stop the navigation", "turn off navigation",
               "!never mind the directions", "cancel the trip", "end navigation",
               "stop giving directions", "clear the route", "quit navigation"],
    },
    "call": {
        "zh": ["打电话给{contact}", "给{contact}打电话", "给{contact}打个电话", "呼叫{contact}",
               "拨打{contact}的电话", "打给{contact}", "联系{contact}", "给{contact}拨个电话",
               "拨通{contact}", "!我要给{contact}打电话", "!打{contact}的手机",
               "!call一下{contact}", "!帮我连线{contact}", "给{contact}回个电话"],
        "en": ["call {contact}", "phone {contact}", "give {contact} a call", "dial {contact}",
               "ring {contact}", "!I want to call {contact}", "make a call to {contact}",
               "get {contact} on the phone", "call {contact} on the mobile",
               "start a call with {contact}", "!I need to talk to {contact}",
               "place a call to {contact}", "call back {contact}"],
    },
    "open_window": {
        "zh": ["打开{position:window}车窗", "把{position:window}车窗打开", "!{position:window}车窗打开",
               "打开{position:window}的窗户", "把{position:window}的窗户降下来", "开一下{position:window}车窗",
               "打开车窗", "开窗", "把窗户打开", "车窗打开{level:open}", "把{position:window}车窗打开{level:open}",
               "{position:window}车窗开{level:open}", "降下{position:window}车窗", "!有点闷，开下窗",
               "把车窗开到{level:open}", "{position:window}窗户开一下", "车窗全部打开"],
        "en": ["open the {position:window} window", "roll down the {position:window} window",
               "open the windows", "open the {position:window} window {level:open}",
               "lower the {position:window} window", "put the {position:window} window down",
               "open all the windows", "roll the windows down",
               "crack the {position:window} window",
               "open the window {level:open}", "!it's stuffy, open a window",
               "bring the {position:window} window down {level:open}",
               "open the {position:window} windows", "wind down the {position:window} window"],
    },
    "close_window": {
        "zh": ["关闭{position:window}车窗", "把{position:window}车窗关上", "!{position:window}车窗关上",
               "关上{position:window}的窗户", "把{position:window}的窗户升上去", "关一下{position:window}车窗",
               "关闭车窗", "关窗", "把窗户关上", "升起{position:window}车窗", "!太吵了，关窗",
               "把车窗都关了", "{position:window}窗户关一下", "车窗全部关闭", "把{position:window}车窗关了"],
        "en": ["close the {position:window} window", "roll up the {position:window} window",
               "close the windows", "close all the windows", "raise the {position:window} window",
               "put the {position:window} window up", "shut the {position:window} window",
               "roll the windows up", "!it's too noisy, close the windows",
               "close the {position:window} windows", "wind up the {position:window} window",
               "shut all windows"],
    },
    "open_sunroof": {
        "zh": ["打开天窗", "把天窗打开", "!天窗打开", "开一下天窗", "天窗开{level:open}",
               "把天窗打开{level:open}", "天窗开到{level:open}", "打开全景天窗", "开天窗",
               "!透透气，开天窗", "天窗打开一下", "把遮阳帘和天窗打开"],
        "en": ["open the sunroof", "open the sunroof {level:open}", "slide the sunroof open",
               "open the moonroof", "open the moonroof {level:open}", "!sunroof open",
               "!let some air in through the sunroof", "open up the sunroof",
               "retract the sunroof", "open the roof {level:open}", "open the panoramic roof"],
    },
    "close_sunroof": {
        "zh": ["关闭天窗", "把天窗关上", "!天窗关上", "关一下天窗", "关天窗", "把天窗关了",
               "!下雨了，关天窗", "!天窗关闭", "关闭全景天窗", "天窗关一下", "把天窗合上"],
        "en": ["close the sunroof", "shut the sunroof", "close the moonroof", "!sunroof closed",
               "!it's raining, close the sunroof", "slide the sunroof shut", "close up the roof",
               "close the panoramic roof", "shut the moonroof"],
    },
    "set_temperature": {
        "zh": ["温度调到{temperature}度", "空调调到{temperature}度", "把温度设为{temperature}度",
               "{position:climate}温度调到{temperature}度", "把{position:climate}温度设置成{temperature}度",
               "空调开到{temperature}度", "!有点冷，温度调到{temperature}度", "!温度{temperature}度",
               "!{temperature}度", "!热死了，空调调到{temperature}度", "把空调温度调成{temperature}",
               "!{position:climate}空调{temperature}度", "车内温度设为{temperature}度",
               "温度设置为{temperature}摄氏度", "把{position:climate}的温度调到{temperature}"],
        "en": ["set the temperature to {temperature} degrees", "make it {temperature} degrees",
               "set the {position:climate} temperature to {temperature}",
               "change the temperature to {temperature}", "!{temperature} degrees",
               "!I'm cold, set the temperature to {temperature}",
               "set the AC to {temperature} degrees", "turn the heat to {temperature}",
               "set the {position:climate} side to {temperature} degrees",
               "!cabin temperature {temperature} degrees celsius",
               "adjust the temperature to {temperature}", "!it's hot, set the AC to {temperature}",
               "put the temperature at {temperature}"],
    },
    "fan_speed": {
        "zh": ["风量调到{level:fan}档", "风速调到{level:fan}挡", "把风量调到{level:fan}",
               "空调风量开到{level:fan}档", "!风量{level:fan}档", "风速开到{level:fan}",
               "把风量开{level:fan}", "!风大一点", "!风量调小一点", "!风速{level:fan}", "!鼓风机{level:fan}档",
               "把空调风速设为{level:fan}", "风量调{level:fan}"],
        "en": ["set the fan speed to {level:fan}", "!fan speed {level:fan}",
               "set the fan to level {level:fan}", "turn the fan up to {level:fan}",
               "turn the fan down to {level:fan}", "fan to {level:fan}", "!blower on {level:fan}",
               "!more air please", "!less air", "increase the fan speed",
               "put the fan on level {level:fan}", "change the blower speed to {level:fan}"],
    },
    "seat_heating": {
        "zh": ["打开座椅加热", "打开{position:seat}座椅加热", "!{position:seat}座椅加热{level:seat}档",
               "把{position:seat}的座椅加热调到{level:seat}档", "座椅加热开到{level:seat}",
               "{position:seat}座椅加热打开", "开启{position:seat}座椅加热", "座椅加热调到{level:seat}挡",
               "!屁股有点凉，开座椅加热", "把座椅加热调{level:seat}", "加热一下{position:seat}座椅",
               "{position:seat}座椅加热开{level:seat}"],
        "en": ["turn on the seat heater", "turn on the {position:seat} seat heater",
               "set the {position:seat} seat heater to {level:seat}", "heat my seat",
               "warm up the {position:seat} seat", "!seat heating {level:seat}",
               "set seat heating to level {level:seat}", "!heated seat {level:seat}",
               "switch on {position:seat} seat heating", "!my seat is cold",
               "turn the {position:seat} seat heat to {level:seat}",
               "put the {position:seat} seat warmer on {level:seat}"],
    },
    "play_media": {
        "zh": ["播放{artist}的{song}", "!我想听{artist}的{song}", "来一首{song}", "放一首{song}",
               "播放{song}", "放{artist}的歌", "来点{artist}的歌", "!我想听{artist}",
               "播放{artist}的歌曲", "放一首{artist}的{song}", "!听一下{song}", "给我放{song}",
               "随便放点{artist}的", "播放歌曲{song}", "!我要听{song}"],
        "en": ["play {song} by {artist}", "play {song}", "play some {artist}",
               "!I want to hear {song}", "put on {song}", "play music by {artist}",
               "play {artist}", "put on some {artist}", "play the song {song}",
               "!let's listen to {artist}", "!I'd like to hear {song} by {artist}",
               "shuffle songs by {artist}", "start playing {song}"],
    },
    "set_volume": {
        "zh": ["音量调到{level:volume}", "把声音调到{level:volume}", "音量设置为{level:volume}",
               "!音量{level:volume}", "把音量调成{level:volume}", "声音开到{level:volume}",
               "音量调为{level:volume}", "把音量设到{level:volume}", "媒体音量调到{level:volume}"],
        "en": ["set the volume to {level:volume}", "!volume {level:volume}",
               "turn the volume to {level:volume}", "change the volume to {level:volume}",
               "put the volume at {level:volume}", "make the volume {level:volume}",
               "!volume to {level:volume}", "adjust volume to {level:volume}"],
    },
    "volume_up": {
        "zh": ["!声音大一点", "音量调高", "调大音量", "!大声点", "音量加一点", "把声音调大",
               "音量调大一点", "!声音再大点", "!听不清", "提高音量", "增大音量", "音量高一点",
               "!声音太小了"],
        "en": ["turn it up", "!volume up", "!louder", "increase the volume", "turn up the music",
               "!I can't hear it", "make it louder", "raise the volume", "pump up the volume",
               "!a bit louder", "turn the volume up", "!it's too quiet"],
    },
    "volume_down": {
        "zh": ["!声音小一点", "音量调低", "调小音量", "!小声点", "音量减一点", "把声音调小",
               "音量调小一点", "!声音再小点", "!太吵了", "降低音量", "减小音量", "音量低一点",
               "!声音太大了"],
        "en": ["turn it down", "!volume down", "!quieter", "decrease the volume",
               "turn down the music", "!it's too loud", "make it quieter", "lower the volume",
               "!a bit quieter", "turn the volume down", "reduce the volume", "!softer"],
    },
    "tune_radio": {
        "zh": ["打开{station}", "收听{station}", "切换到{station}", "!我想听{station}",
               "调到{station:freq}", "收音机调到{station:freq}", "打开收音机听{station}",
               "播放{station}", "换到{station:freq}", "收听调频{station:freq}", "放{station}",
               "电台调到{station:freq}", "切到{station}频道"],
        "en": ["tune to {station:freq}", "play {station}", "switch to {station}",
               "put on {station}", "tune the radio to {station:freq}", "listen to {station}",
               "!radio {station:freq}", "turn on the radio to {station}",
               "change the station to {station:freq}", "!I want to listen to {station}",
               "set the radio to {station:freq}", "go to {station}"],
    },
}


def fill(template, lang, sampler):
    """The sentence of one template: text and character spans [(start, end, slot)]."""
    polite = template[0] != "!"
    body = template if polite else template[1:]
    media = sampler.pick(("media", lang)) if "{artist}" in body or "{song}" in body else None
    text, spans, i = "", [], 0
    while i < len(body):
        if body[i] == "{":
            j = body.index("}", i)
            slot, _, kind = body[i + 1:j].partition(":")
            if slot == "artist":
                value = media[0]
            elif slot == "song":
                value = media[1]
            else:
                value = sampler.value(slot, kind, lang)
            spans.append((len(text), len(text) + len(value), slot))
            text += value
            i = j + 1
        else:
            text += body[i]
            i += 1
    if lang == "zh":
        pre, post = sampler.rng.choice(CN_POLITE if polite else CN_LIGHT)
    else:
        pre, post = sampler.rng.choice(EN_POLITE if polite else EN_LIGHT)
    spans = [(s + len(pre), e + len(pre), k) for s, e, k in spans]
    text = pre + text + post
    if lang == "en" and sampler.rng.random() < 0.5:
        text = text[0].upper() + text[1:]
        if sampler.rng.random() < 0.3:
            text += sampler.rng.choice([".", "!"])
    elif lang == "zh" and sampler.rng.random() < 0.3:
        text += sampler.rng.choice(["。", "！"])
    return text, spans


def tag_tokens(text, spans):
    """Tokens and BIO tags from character spans; raises when a token crosses a span edge."""
    pieces = tok.tokenize(text)
    toks, tags = [], []
    for ss, se, slot in spans:
        for t, s, e in pieces:
            if s < se and e > ss and not (s >= ss and e <= se):
                raise ValueError("token %r crosses the %s slot in %r" % (t, slot, text))
    for t, s, e in pieces:
        label = "O"
        for ss, se, slot in spans:
            if s >= ss and e <= se:
                first = not any(ps >= ss and pe <= se for _, ps, pe in pieces if pe <= s)
                label = ("B-" if first else "I-") + slot
                break
        toks.append(t)
        tags.append(label)
    return toks, tags


def generate(seed=SEED):
    """The corpus as (train, val): lists of dicts with lang, intent, text, tokens, tags."""
    rng = random.Random(seed)
    heldout = {}
    for key, values in OPEN_LISTS.items():
        k = max(1, round(len(values) * HOLDOUT_SHARE))
        heldout[key] = set(random.Random("%d/%s/%s" % (seed, *key)).sample(values, k))
    train, val, seen = [], [], set()
    for intent in INTENTS:
        for lang in ("zh", "en"):
            cands = []
            for _ in range(PER_INTENT):
                sampler = Sampler(rng, heldout, allow_heldout=True)
                text, spans = fill(rng.choice(TEMPLATES[intent][lang]), lang, sampler)
                toks, tags = tag_tokens(text, spans)
                key = " ".join(toks)
                if key in seen:
                    continue
                seen.add(key)
                cands.append((dict(lang=lang, intent=intent, text=text, tokens=toks, tags=tags),
                              sampler.used_heldout))
            for ex, used in cands:
                (val if used or rng.random() < VAL_SHARE else train).append(ex)
    return train, val


def build_vocab(train):
    counts = Counter(t for ex in train for t in ex["tokens"])
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return [tok.PAD, tok.UNK] + words


def encode_split(examples, vocab_index, length=None):
    """Padded arrays of a split: input_ids, attention_mask, intent, slots (IGNORE_INDEX at
    padding)."""
    n = len(examples)
    t = length or max(len(ex["tokens"]) for ex in examples)
    ids = np.zeros((n, t), dtype=np.int64)
    mask = np.zeros((n, t), dtype=np.int64)
    slots = np.full((n, t), IGNORE_INDEX, dtype=np.int64)
    intent = np.zeros(n, dtype=np.int64)
    for i, ex in enumerate(examples):
        k = len(ex["tokens"])
        ids[i, :k] = [vocab_index.get(w, tok.UNK_ID) for w in ex["tokens"]]
        mask[i, :k] = 1
        slots[i, :k] = [TAGS.index(g) for g in ex["tags"]]
        intent[i] = INTENTS.index(ex["intent"])
    return {"input_ids": ids, "attention_mask": mask, "intent": intent, "slots": slots}


def write_tsv(path, examples):
    with open(path, "w", encoding="utf-8") as f:
        f.write("lang\tintent\ttext\ttokens\ttags\n")
        for ex in examples:
            f.write("%s\t%s\t%s\t%s\t%s\n" % (ex["lang"], ex["intent"], ex["text"],
                                              " ".join(ex["tokens"]), " ".join(ex["tags"])))


TOKENIZER_RULE = [
    "Normalise each character with Unicode NFKC (full-width letters and digits become ASCII) "
    "and lower-case it.",
    "White space separates tokens and is dropped.",
    "A run of ASCII letters a-z is one token; an apostrophe (' or U+2019, stored as ') between "
    "two letters stays inside it (i'd, fisherman's).",
    "A run of ASCII digits 0-9 is one token; a '.' between two digits stays inside it (97.4); "
    "letters and digits never join (fm97.4 is fm, 97.4).",
    "Any other character is a token by itself (each Chinese character, %), except punctuation "
    "other than % (Unicode general category P*), which is dropped.",
    "A token's id is its line number (from 0) in the vocabulary file; tokens not in it are "
    "[UNK] (id 1). Batches are padded on the right with [PAD] (id 0) and attention_mask 0.",
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", default=common.DEMO_DIR)
    ap.add_argument("--train-tsv", help="also write the training sentences here")
    args = ap.parse_args()

    train, val = generate(args.seed)
    vocab = build_vocab(train)
    index = {w: i for i, w in enumerate(vocab)}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "commands_vocab.txt"), "w", encoding="utf-8") as f:
        f.write("".join(w + "\n" for w in vocab))
    arrays = encode_split(val, index)
    common.save_npz(os.path.join(args.out, "commands_val.npz"), arrays)
    write_tsv(os.path.join(args.out, "commands_val.tsv"), val)
    if args.train_tsv:
        write_tsv(args.train_tsv, train)
    common.write_json(os.path.join(args.out, "commands_tokenizer.json"), {
        "description": "Tokenizer of the in-car command demo (scripts/train/commands_tokenizer.py)"
                       ": one token per Chinese character, one per English word or number.",
        "vocab": "commands_vocab.txt",
        "lowercase": True,
        "normalization": "NFKC",
        "pad_id": tok.PAD_ID,
        "unk_id": tok.UNK_ID,
        "padding_side": "right",
        "rule": TOKENIZER_RULE,
        "inputs": {"input_ids": "token ids [batch, seq] int64",
                   "attention_mask": "1 for tokens, 0 for padding [batch, seq] int64"},
        "intents": INTENTS,
        "slot_tags": TAGS,
        "ignore_index": IGNORE_INDEX,
    })
    common.write_json(os.path.join(args.out, "commands_val.json"), {
        "description": "In-car voice commands (Simplified Chinese and English), validation split "
                       "of the corpus generated by scripts/train/commands_corpus.py, never trained "
                       "on: %d sentences, padded to %d tokens. 'intent' holds the intent id of "
                       "each sentence for output intent_logits (top-1 accuracy); 'slots' holds a "
                       "BIO tag id per token for output slot_logits (entity-level F1 over BIO "
                       "spans), %d at padding. Tokens: commands_tokenizer.json."
                       % (len(val), arrays["input_ids"].shape[1], IGNORE_INDEX),
        "source": "commands_val.npz",
        "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
        "labels": {
            "intent_logits": {"array": "intent", "metric": "accuracy"},
            "slot_logits": {"array": "slots", "metric": "entity_f1", "ignore_index": IGNORE_INDEX,
                            "tag_names": TAGS},
        },
    })
    by = Counter((ex["intent"], ex["lang"]) for ex in train)
    byv = Counter((ex["intent"], ex["lang"]) for ex in val)
    print("%d training, %d validation sentences, vocabulary %d, longest %d tokens"
          % (len(train), len(val), len(vocab), max(len(e["tokens"]) for e in train + val)))
    for intent in INTENTS:
        print("  %-18s train zh %3d en %3d   val zh %3d en %3d"
              % (intent, by[(intent, "zh")], by[(intent, "en")], byv[(intent, "zh")],
                 byv[(intent, "en")]))
    unk = sum(int(x == tok.UNK_ID) for x in arrays["input_ids"].reshape(-1))
    print("validation [UNK] tokens: %d of %d" % (unk, int(arrays["attention_mask"].sum())))


if __name__ == "__main__":
    main()
