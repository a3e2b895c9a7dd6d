"""The bot's own words, built in: Japanese and English for every text (the fields of
``Phrases``). Staff's ``faq/texts.yaml`` is laid over them in every language
(``core/texts.py``); these are what a text falls back to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Phrases:
    greeting: str
    fallback: str
    did_you_mean: str
    ask_for_text: str
    category_intro: str
    empty_category: str
    sorry_error: str
    more_follows: str
    talk_to_staff: str
    case_opened: str
    case_opened_closed: str
    urgent_help: str
    crisis_tap_intro: str
    case_relayed: str
    case_claimed: str
    case_closed: str
    # the three buttons under case_closed, best first (texts.yaml may rewrite each)
    satisfaction_good: str
    satisfaction_ok: str
    satisfaction_bad: str
    satisfaction_thanks: str
    still_waiting: str
    remind_me: str
    reminder_set: str
    reminder_already_set: str
    deadline_reminder: str
    # The rich menu's 「よくある質問」 button.
    topics_intro: str = ""
    # Added to the answer of an entry not checked for ``stale_after_months``.
    stale_note: str = "{date}"
    # Said above an answer that has no translation in the person's language.
    in_easy_japanese: str = ""
    # Said when a person asks for やさしい日本語.
    easy_on: str = ""
    # ``case_opened`` for a language staff.yaml's ``expected_reply`` has no words in.
    case_opened_soon: str = ""
    # Said back to thanks or a closing, and to a greeting (conversation/small_talk.py).
    thanks_reply: str = ""
    greeting_reply: str = ""
    # ``still_waiting`` outside office hours: when staff are back ({when}).
    still_waiting_closed: str = ""
    # Instead of "staff will reply" where no staff tool shows the person's cases (LINE
    # without Slack): nobody would read them, so nothing is promised (staff.yaml's contact
    # follows).
    no_staff_here: str = ""
    # A request to erase one's records there (LINE without Slack): recorded for staff, who
    # erase after checking it; nothing erased yet (staff.yaml's contact follows).
    erasure_no_staff: str = ""

    @property
    def satisfaction_labels(self) -> tuple[str, str, str]:
        """The rating buttons under ``case_closed``, best first."""
        return (self.satisfaction_good, self.satisfaction_ok, self.satisfaction_bad)


PHRASES: dict[str, Phrases] = {
    "ja": Phrases(
        greeting=(
            "友だち追加ありがとうございます。\n"
            "食べ物、住まい、お金、生活保護、病院、仕事などの困りごとについて、"
            "ここで質問できます。24時間、いつでも大丈夫です。\n"
            "下のボタンを押すか、困っていることをそのまま書いてください。"
        ),
        fallback=(
            "ごめんなさい、うまく答えを見つけられませんでした。\n"
            "食べ物、住まい、お金、生活保護、病院、仕事などについて答えられます。"
            "短い言葉で、もう一度書いてみてください。下のボタンからも選べます。"
        ),
        did_you_mean="もしかして、この中にありますか？ 当てはまるものを押してください。",
        ask_for_text=(
            "メッセージありがとうございます。スタンプや写真、位置情報などは読み取れません。"
            "困っていることを文字で書いてください。"
        ),
        category_intro="「{category}」についての質問です。知りたいものを押してください。",
        empty_category="その分類の質問は今ありません。困っていることを文字で書いてください。",
        sorry_error=(
            "ごめんなさい、いま答えを出せませんでした。少し待ってから、もう一度送ってください。"
        ),
        more_follows="（続きがあります）",
        talk_to_staff="スタッフと話す",
        case_opened=(
            "スタッフにつなぎました。{expected}で、ここに返事が来ます。"
            "このまま、困っていることを書いて待っていてください。"
        ),
        case_opened_closed=(
            "スタッフにつなぎました。いまは対応時間の外です。{when}ごろから返事をします。\n"
            "急ぐときは: 命の危険・けが 119 / 危ないとき 110 / "
            "よりそいホットライン 0120-279-338（24時間・無料）"
        ),
        urgent_help="スタッフに「急ぎ」で伝えました。",
        crisis_tap_intro=(
            "あなたの安全がいちばん大切です。今あぶないときは、すぐに電話してください"
            "（救急 119 / 警察 110）。"
        ),
        case_relayed="スタッフに伝えました。返事をお待ちください。",
        case_claimed="スタッフが担当になりました。このまま、ここでお話しできます。",
        case_closed=(
            "ご相談はいったん終わりにします。また困ったときは、いつでも書いてください。\n"
            "よければ、今回の対応はどうでしたか？"
        ),
        satisfaction_good="よかった", satisfaction_ok="ふつう", satisfaction_bad="よくなかった",
        satisfaction_thanks="教えてくれて、ありがとうございます。",
        still_waiting=(
            "メッセージは届いています。スタッフからの返事まで、もう少し待ってください。"
            "急ぐときは 119（救急）/ 110（警察）へ。"
        ),
        still_waiting_closed=(
            "メッセージは届いています。いまは対応時間の外なので、スタッフは{when}ごろから"
            "返事をします。急ぐときは 119（救急）/ 110（警察）へ。"
        ),
        remind_me="締切前に知らせて",
        reminder_set="{when}ごろに、ここでお知らせします。",
        reminder_already_set="{when}ごろのお知らせは、もう設定してあります。",
        deadline_reminder=(
            "お知らせです。「{name}」の締切は {deadline} です。準備はできていますか？"
        ),
        topics_intro=(
            "よくある質問を分類ごとに見られます。知りたいものを押してください。"
            "困っていることをそのまま書いても大丈夫です。"
        ),
        stale_note=(
            "※この情報は{date}に確かめたものです。いまは変わっているかもしれません。"
            "申し込む前に窓口で確かめてください。"
        ),
        in_easy_japanese="",
        easy_on="わかりました。これから やさしい 日本語で こたえます。",
        case_opened_soon=(
            "スタッフにつなぎました。できるだけ早く、ここに返事が来ます。"
            "このまま、困っていることを書いて待っていてください。"
        ),
        thanks_reply="どういたしまして。また困ったときは、いつでも書いてください。",
        greeting_reply="こんにちは。困っていることを、そのまま書いてください。下のボタンからも選べます。",
        no_staff_here=(
            "ごめんなさい、ここではスタッフと話すことができません。"
            "命の危険があるときは 119（救急）/ 110（警察）へ。"
        ),
        erasure_no_staff=(
            "記録を消してほしいというご希望を受けとり、スタッフが見る一覧に残しました。"
            "まだ何も消していません。ここではスタッフと話すことはできませんが、スタッフが"
            "確かめてから、あなたがここに書いたことと相談の記録を消します。"
            "スマートフォンのトーク画面は、ご自分で消すことができます。"
        ),
    ),
    "en": Phrases(
        greeting=(
            "Thank you for adding us. You can ask here about food, housing, money, welfare, "
            "health care and work, any time of day.\n"
            "Tap a button below, or just write what is troubling you."
        ),
        fallback=(
            "Sorry, I could not find an answer to that. I can help with food, housing, money, "
            "welfare, health care and work. Please try again in a few words, "
            "or pick a topic below."
        ),
        did_you_mean="Did you mean one of these? Tap the one that fits.",
        ask_for_text=(
            "Thank you for your message. I cannot read stickers, photos or locations. "
            "Please write what you need in words."
        ),
        category_intro='Questions about "{category}". Tap the one you want to know.',
        empty_category="There are no questions in that topic yet. Please write what you need.",
        sorry_error="Sorry, I could not answer just now. Please send your message again soon.",
        more_follows="(continued)",
        talk_to_staff="Talk to staff",
        case_opened=(
            "We have passed your message to our staff. They will reply here in {expected}. "
            "Please keep writing here while you wait."
        ),
        case_opened_closed=(
            "We have passed your message to our staff. We are closed now; they will reply "
            "from {when}.\nIn an emergency: ambulance 119 / police 110 / "
            "Yorisoi Hotline 0120-279-338 (24 hours, free)"
        ),
        urgent_help="We told our staff that this is urgent.",
        crisis_tap_intro=(
            "Your safety comes first. If you are in danger now, please call right away "
            "(ambulance 119 / police 110)."
        ),
        case_relayed="We passed this on to our staff. Please wait for their reply.",
        case_claimed="A staff member is now looking after you. You can talk to them here.",
        case_closed=(
            "We will close this conversation for now. Write any time you need help again.\n"
            "How was our support this time?"
        ),
        satisfaction_good="Good", satisfaction_ok="OK", satisfaction_bad="Not good",
        satisfaction_thanks="Thank you for telling us.",
        still_waiting=(
            "Your message has arrived. Please wait a little longer for our staff to reply. "
            "In an emergency call 119 (ambulance) or 110 (police)."
        ),
        still_waiting_closed=(
            "Your message has arrived. Our staff are away now and will reply from {when}. "
            "In an emergency call 119 (ambulance) or 110 (police)."
        ),
        remind_me="Remind me",
        reminder_set="We will remind you here around {when}.",
        reminder_already_set="A reminder is already set for around {when}.",
        deadline_reminder=('A reminder: the deadline for "{name}" is {deadline}. Are you ready?'),
        topics_intro=(
            "Common questions by topic: tap the one you want. You can also just write what "
            "is troubling you."
        ),
        stale_note=(
            "Note: this information was last checked on {date} and may have changed. "
            "Please confirm with the office before you apply."
        ),
        in_easy_japanese=(
            "This answer is not available in your language yet, so here it is in simple "
            "Japanese. If it is hard to read, tap \"Talk to staff\"."
        ),
        easy_on="OK. From now on I will answer in easy Japanese.",
        case_opened_soon=(
            "We have passed your message to our staff. They will reply here as soon as they "
            "can. Please keep writing here while you wait."
        ),
        thanks_reply="You're welcome. Write any time you need help again.",
        greeting_reply=("Hello! Please write what you need in your own words, or pick a topic "
                        "below."),
        no_staff_here=(
            "Sorry, our staff cannot talk with you here. If a life is in danger, call 119 "
            "(ambulance) or 110 (police)."
        ),
        erasure_no_staff=(
            "We have received your request to delete your records and noted it for our staff. "
            "Nothing has been deleted yet. Staff cannot talk with you here, but after they "
            "check the request they will erase what you wrote here and the records of your "
            "consultation. You can delete the chat on your own phone yourself."
        ),
    ),
}
